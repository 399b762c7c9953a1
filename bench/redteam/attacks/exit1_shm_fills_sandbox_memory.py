"""compute_gradients (the first function checked) fills the sandbox's memory group with System V shared memory, which outlives every process of the check (it belongs to the sandbox's IPC namespace): the next check's child cannot start, and the grader raises "the sandbox did not start" out of a check, so grade exits 1."""
KIND = "crash"
CELLS = {"compute_gradients": '''import ctypes

def _fill(total=1900 * 2**20, chunk=64 * 2**20):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    libc.shmat.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_int]
    libc.shmdt.argtypes = [ctypes.c_void_p]
    done = 0
    while done < total:
        shmid = libc.shmget(0, chunk, 0o1600)  # IPC_PRIVATE, IPC_CREAT
        if shmid < 0:
            return
        address = libc.shmat(shmid, None, 0)
        if address in (None, 2**64 - 1):
            return
        ctypes.memset(address, 1, chunk)
        libc.shmdt(address)
        done += chunk

def compute_gradients(inputs, outputs, targets):
    deltas_scaled = (outputs - targets) / len(outputs)
    result = inputs.T @ deltas_scaled, np.sum(deltas_scaled, axis=0)
    _fill()
    return result'''}
