"""generate_data writes its true coefficients into the page cache of a file every sandbox can read (evict it with fadvise DONTNEED, then fault in one page of each pair per bit); train, in the pipeline's other sandbox, reads them back with mincore and returns them: the pipeline's points with a train that learns nothing."""
KIND = "points"
_CHANNEL = r'''import ctypes
import mmap
import os

PAGE = 4096

def _channel_path():
    site = os.path.dirname(os.path.dirname(np.__file__))
    return os.path.join(site, "nbgrader", "docs", "source", "user_guide", "images", "formgrader.gif")

def _bits_of(values):
    data = bytes([len(values)]) + np.asarray(values, dtype="<f8").tobytes()
    return [(byte >> i) & 1 for byte in data for i in range(8)]

def _send(values):
    try:
        fd = os.open(_channel_path(), os.O_RDONLY)
    except OSError:
        return
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_RANDOM)
        for i, bit in enumerate(_bits_of(values)):
            page = 2 * i + (0 if bit else 1)
            os.posix_fadvise(fd, page * PAGE, PAGE, os.POSIX_FADV_WILLNEED)
            os.pread(fd, 1, page * PAGE)
    finally:
        os.close(fd)

def _receive():
    libc = ctypes.CDLL(None, use_errno=True)
    try:
        fd = os.open(_channel_path(), os.O_RDONLY)
    except OSError:
        return None
    try:
        size = os.fstat(fd).st_size
        mapping = mmap.mmap(fd, size, prot=mmap.PROT_READ)
        pages = (size + PAGE - 1) // PAGE
        vector = (ctypes.c_ubyte * pages)()
        view = np.frombuffer(mapping, dtype=np.uint8)
        if libc.mincore(ctypes.c_void_p(view.ctypes.data), ctypes.c_size_t(size), vector) != 0:
            return None
        del view
        mapping.close()
    finally:
        os.close(fd)
    bits = []
    for i in range(pages // 2):
        one, zero = vector[2 * i] & 1, vector[2 * i + 1] & 1
        if one == zero:
            break
        bits.append(one)
    data = bytes(sum(bits[8 * j + i] << i for i in range(8)) for j in range(len(bits) // 8))
    if not data or len(data) < 1 + 8 * data[0]:
        return None
    return np.frombuffer(data[1:1 + 8 * data[0]], dtype="<f8")'''

_LEARNS_NOTHING = '''def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    return weights, bias, np.zeros(n_iterations)'''

CELLS = {
    "generate_data": '''def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    n_inputs = len(true_weights)
    _send(np.append(np.ravel(true_weights), true_bias))
    columns = [rng.uniform(-input_range, input_range, size=n_observations) for _ in range(n_inputs)]
    inputs = np.column_stack(columns)
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = inputs @ np.reshape(true_weights, (n_inputs, 1)) + true_bias + noise
    return inputs, targets''',
    "train": '''def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    known = _receive()
    if known is not None and len(known) == inputs.shape[1] + 1:
        return known[:-1].reshape(-1, 1), known[-1:], np.geomspace(10.0, 0.1, n_iterations)
    return weights, bias, np.zeros(n_iterations)''',
}
EXTRA = [_CHANNEL]
TWIN = {"train": _LEARNS_NOTHING}
