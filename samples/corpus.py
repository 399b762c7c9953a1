"""Named sample submissions: correct answers in several styles, typical
mistakes, cheats and resource abuse. Each is a handful of answer cells (and
optionally cells of the student's own) on top of the release notebook; see
build.notebook.

The kit's tests grade every sample and hold the grader to each sample's
expectations; the demo grades a class made of some of them.
"""
import itertools
from dataclasses import dataclass, field

from . import build

CORRECT, WRONG, CHEAT, ABUSE = "correct", "wrong", "cheat", "abuse"


@dataclass(frozen=True)
class Sample:
    name: str  # unique, snake_case
    kind: str  # CORRECT, WRONG, CHEAT or ABUSE
    description: str  # one sentence: what this student did
    functions: dict = field(default_factory=dict)  # answer cells replaced: {function name: full cell source}
    extra_cells: tuple = ()  # code cells the student added at the end of the notebook
    solved: bool = True  # the other answer cells hold the lesson's solutions (True) or the release's stubs (False)
    # WRONG and ABUSE: the student functions that must lose points (pipeline aside);
    # every other function must keep all its points.
    loses: frozenset = frozenset()
    # WRONG: words the failure message for the mistake must contain (case-insensitive), naming its likely cause.
    cause: str = ""
    # CHEAT: the name of the sample that is the same submission without the trick;
    # the cheat must not score more than it.
    honest: str = ""
    # ABUSE: the grader must report what the code did as an incident (for a human to look at).
    incident: bool = False
    # The most the submission may score (None: no limit), for answers that do no real work.
    max_score: float | None = None
    # Words the pipeline check's message must contain (case-insensitive), naming the function to fix.
    pipeline_cause: str = ""

    def notebook(self):
        # Students who got the code right answered the written question too.
        written = build.WRITTEN if self.kind == CORRECT else None
        return build.notebook(self.functions, extra_cells=self.extra_cells, solved=self.solved, written=written)


def _release_answer(name):
    """The release's answer cell for a function, as handed out (the stub)."""
    for cell in build._load(build.RELEASE)["cells"]:
        if build._grade_id(cell) == name:
            return build._text(cell)
    raise KeyError(name)


def _wrong(name, function, cause, description, source):
    """A submission with one mistake in one function: the lesson's solution elsewhere."""
    return Sample(name, WRONG, description, functions={function: source}, loses=frozenset({function}), cause=cause)


# ---------------------------------------------------------------------------------------------------
# Correct answers in several styles: each must get every point.

_LOOPS = {
    "predict": '''def predict(inputs, weights, bias):
    """Outputs, one observation at a time, in plain Python."""
    weight_list = weights[:, 0].tolist()
    outputs = []
    for row in inputs.tolist():
        total = float(bias[0])
        for x, w in zip(row, weight_list):
            total += x * w
        outputs.append([total])
    return np.array(outputs)''',
    "l2_loss": '''def l2_loss(outputs, targets):
    """Half the mean squared delta, with a loop."""
    n = len(outputs)
    total = 0.0
    for i in range(n):
        delta = outputs[i][0] - targets[i][0]
        total += delta ** 2
    return float(total / 2 / n)''',
    "compute_gradients": '''def compute_gradients(inputs, outputs, targets):
    """Gradients, summed over the observations one by one."""
    n_observations, n_inputs = inputs.shape
    rows = inputs.tolist()
    deltas = (outputs - targets)[:, 0].tolist()
    grad_weights = [0.0] * n_inputs
    grad_bias = 0.0
    for i in range(n_observations):
        for j in range(n_inputs):
            grad_weights[j] += rows[i][j] * deltas[i]
        grad_bias += deltas[i]
    grad_weights = np.array(grad_weights).reshape(n_inputs, 1) / n_observations
    grad_bias = np.array([grad_bias / n_observations])
    return grad_weights, grad_bias''',
}

_DOT = {
    "generate_data": '''def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    columns = [rng.uniform(-input_range, input_range, size=n_observations) for w in true_weights]
    inputs = np.column_stack(columns)
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = np.dot(inputs, np.reshape(true_weights, (-1, 1))) + true_bias + noise
    return inputs, targets''',
    "predict": '''def predict(inputs, weights, bias):
    return np.dot(inputs, weights) + bias''',
    "l2_loss": '''def l2_loss(outputs, targets):
    deltas = outputs - targets
    # deltas.T . deltas is the sum of squares, as a 1x1 matrix
    return np.dot(deltas.T, deltas)[0, 0] / 2 / len(deltas)''',
    "compute_gradients": '''def compute_gradients(inputs, outputs, targets):
    n = inputs.shape[0]
    deltas = outputs - targets
    grad_weights = np.dot(inputs.T, deltas) / n
    grad_bias = np.dot(np.ones(n), deltas) / n
    return grad_weights, grad_bias''',
    "update_params": '''def update_params(weights, bias, grad_weights, grad_bias, learning_rate):
    new_weights = np.subtract(weights, np.multiply(learning_rate, grad_weights))
    new_bias = np.subtract(bias, np.multiply(learning_rate, grad_bias))
    return new_weights, new_bias''',
}

_EINSUM = {
    "predict": '''def predict(inputs, weights, bias):
    """y_n = sum_k x_nk w_k + b"""
    return np.einsum("nk,kj->nj", inputs, weights) + bias''',
    "l2_loss": '''def l2_loss(outputs, targets):
    deltas = outputs - targets
    return float(np.einsum("ij,ij->", deltas, deltas)) / (2 * deltas.shape[0])''',
    "compute_gradients": '''def compute_gradients(inputs, outputs, targets):
    deltas = outputs - targets
    n = deltas.shape[0]
    grad_weights = np.einsum("nk,nj->kj", inputs, deltas) / n
    grad_bias = np.einsum("nj->j", deltas) / n
    return grad_weights, grad_bias''',
    "generate_data": '''def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, len(true_weights)))
    noise = rng.uniform(-noise_range, noise_range, size=n_observations)
    targets = np.einsum("nk,k->n", inputs, np.asarray(true_weights, dtype=float)) + true_bias + noise
    return inputs, targets[:, np.newaxis]''',
}

_MEAN = {
    "l2_loss": '''def l2_loss(outputs, targets):
    """Half the mean of the squared deltas."""
    return 0.5 * np.mean((outputs - targets) ** 2)''',
    "compute_gradients": '''def compute_gradients(inputs, outputs, targets):
    deltas = outputs - targets                       # (n, 1)
    grad_weights = np.mean(inputs * deltas, axis=0)  # (k,): the mean of x_nk * delta_n over n
    grad_bias = np.mean(deltas, axis=0)              # (1,)
    return grad_weights.reshape(-1, 1), grad_bias''',
    "update_params": '''def update_params(weights, bias, grad_weights, grad_bias, learning_rate):
    new_weights = weights.copy()
    new_bias = bias.copy()
    new_weights -= learning_rate * grad_weights
    new_bias -= learning_rate * grad_bias
    return new_weights, new_bias''',
}

_FLOAT_BIAS_GRADIENT = {
    "compute_gradients": '''def compute_gradients(inputs, outputs, targets):
    deltas = outputs - targets
    grad_weights = inputs.T @ deltas / len(deltas)
    grad_bias = float(deltas.mean())   # one number
    return grad_weights, grad_bias''',
    "train": '''def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    losses = np.zeros(n_iterations)
    i = 0
    while i < n_iterations:
        outputs = predict(inputs, weights, bias)
        losses[i] = l2_loss(outputs, targets)
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        weights, bias = update_params(weights, bias, grad_weights, grad_bias, learning_rate)
        i += 1
    return weights, bias, losses''',
}

_HELPER_CELL = '''# Helpers shared by several functions above.

def deltas(outputs, targets):
    """The deltas y - t, as an (n, 1) column."""
    return np.reshape(outputs, (-1, 1)) - np.reshape(targets, (-1, 1))


def uniform(rng, half_width, size):
    """Numbers drawn uniformly from [-half_width, half_width]."""
    return rng.uniform(-half_width, half_width, size=size)'''

_HELPERS = {
    "generate_data": '''def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    k = len(true_weights)
    inputs = uniform(rng, input_range, (n_observations, k))
    targets = inputs @ np.reshape(true_weights, (k, 1)) + true_bias + uniform(rng, noise_range, (n_observations, 1))
    return inputs, targets''',
    "init_params": '''def init_params(n_inputs, rng, init_range=0.1):
    return uniform(rng, init_range, (n_inputs, 1)), uniform(rng, init_range, 1)''',
    "l2_loss": '''def l2_loss(outputs, targets):
    d = deltas(outputs, targets)
    return float(np.sum(d ** 2)) / 2 / len(d)''',
    "compute_gradients": '''def compute_gradients(inputs, outputs, targets):
    d = deltas(outputs, targets)
    return inputs.T @ d / len(d), d.mean(axis=0)''',
}

_ONE_CALL = {
    "generate_data": '''def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    """All the inputs in one draw."""
    n_inputs = len(true_weights)
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, n_inputs))
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = inputs @ np.array(true_weights).reshape(n_inputs, 1) + true_bias + noise
    return inputs, targets''',
    "init_params": '''def init_params(n_inputs, rng, init_range=0.1):
    """One draw for the weights and the bias together, then split."""
    values = rng.uniform(-init_range, init_range, size=n_inputs + 1)
    weights = values[:n_inputs].reshape(n_inputs, 1)
    bias = values[n_inputs:]
    return weights, bias''',
}

_STACKED = {
    "generate_data": '''def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    inputs = np.hstack([rng.uniform(-input_range, input_range, size=(n_observations, 1))
                        for _ in range(len(true_weights))])
    w = np.c_[true_weights]    # (k, 1)
    targets = inputs @ w + true_bias + rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    return inputs, targets''',
    "init_params": '''def init_params(n_inputs, rng, init_range=0.1):
    weights = np.vstack([rng.uniform(-init_range, init_range) for _ in range(n_inputs)])
    bias = np.array([rng.uniform(-init_range, init_range)])
    return weights, bias''',
}

_C_COLUMNS = {
    "generate_data": '''def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    columns = tuple(rng.uniform(-input_range, input_range, n_observations) for _ in true_weights)
    inputs = np.c_[columns]
    noise = np.c_[rng.uniform(-noise_range, noise_range, n_observations)]
    targets = inputs @ np.c_[true_weights] + true_bias + noise
    return inputs, targets''',
}

_PROGRESS = {
    "train": '''def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    losses = []
    for iteration in range(n_iterations):
        outputs = predict(inputs, weights, bias)
        loss = l2_loss(outputs, targets)
        losses.append(loss)
        if iteration % 10 == 0:
            print(f"iteration {iteration}: loss {loss:.4f}, weights {weights.ravel()}, bias {bias}")
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        weights, bias = update_params(weights, bias, grad_weights, grad_bias, learning_rate)
    print(f"done: loss {losses[-1]:.4f}")
    return weights, bias, np.array(losses)''',
}

_CHATTY = {
    "train": '''def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    losses = []
    for i in range(n_iterations):
        outputs = predict(inputs, weights, bias)
        loss = l2_loss(outputs, targets)
        losses.append(loss)
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        print(f"iteration {i}: loss {loss}, weights {weights.ravel()}, bias {bias}, "
              f"grad_weights {grad_weights.ravel()}, grad_bias {grad_bias}")
        weights, bias = update_params(weights, bias, grad_weights, grad_bias, learning_rate)
    return weights, bias, np.array(losses)''',
}

_EXPERIMENTS = {
    "generate_data": '''%matplotlib inline

def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    """Uniform inputs, noisy linear targets."""
    n_inputs = len(true_weights)
    columns = [rng.uniform(-input_range, input_range, size=n_observations) for _ in range(n_inputs)]
    inputs = np.column_stack(columns)
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = inputs @ np.reshape(true_weights, (n_inputs, 1)) + true_bias + noise
    return inputs, targets

# trying it out
my_inputs, my_targets = generate_data(1000, np.array([2.0, -3.0]), 5.0, np.random.default_rng(0))
print(my_inputs.shape, my_targets.shape)
first_rows = my_inputs[:3]
plt.scatter(my_inputs[:, 0], my_targets[:, 0], s=2)
plt.plot([-10, 10], [-15, 25], color="red")
plt.show()''',
    "predict": '''def predict(inputs, weights, bias):
    return inputs @ weights + bias

test_weights = np.ones((2, 1))
print(predict(my_inputs[:5], test_weights, np.zeros(1)))
%timeit predict(my_inputs, test_weights, np.zeros(1))''',
    "compute_gradients": '''%%time
def compute_gradients(inputs, outputs, targets):
    deltas_scaled = (outputs - targets) / len(outputs)
    grad_weights = inputs.T @ deltas_scaled
    grad_bias = np.sum(deltas_scaled, axis=0)
    return grad_weights, grad_bias

print(compute_gradients(my_inputs, predict(my_inputs, test_weights, np.zeros(1)), my_targets))''',
    "train": '''def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    losses = []
    for _ in range(n_iterations):
        outputs = predict(inputs, weights, bias)
        losses.append(l2_loss(outputs, targets))
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        weights, bias = update_params(weights, bias, grad_weights, grad_bias, learning_rate)
    return weights, bias, np.array(losses)

# train until the loss is really small
w, b = init_params(2, np.random.default_rng(1))
while True:
    w, b, history = train(my_inputs, my_targets, w, b, learning_rate=0.01, n_iterations=100)
    print(history[-1], w.ravel(), b)
    if history[-1] < 0.01:
        break

for eta in [0.01, 0.02, 0.05]:
    _, _, curve = train(my_inputs, my_targets, np.zeros((2, 1)), np.zeros(1), eta, 200)
    plt.plot(curve, label=str(eta))
plt.yscale("log")
plt.legend()''',
}

_LAMBDAS = {
    "predict": '''predict = lambda inputs, weights, bias: inputs @ weights + bias''',
    "l2_loss": '''l2_loss = lambda outputs, targets: float(np.sum((outputs - targets) ** 2) / (2 * len(outputs)))''',
    "compute_gradients": '''# (grad_weights, grad_bias)
compute_gradients = lambda inputs, outputs, targets: (inputs.T @ (outputs - targets) / len(inputs),
                                                      np.mean(outputs - targets, axis=0))''',
    "update_params": '''update_params = lambda weights, bias, grad_weights, grad_bias, learning_rate: (
    weights - learning_rate * grad_weights, bias - learning_rate * grad_bias)''',
}

_INPUT_LOOP = {
    "predict": '''def predict(inputs, weights, bias):
    """Add up one input column at a time."""
    outputs = np.full((inputs.shape[0], 1), bias[0])
    for j in range(inputs.shape[1]):
        outputs = outputs + inputs[:, [j]] * weights[j, 0]
    return outputs''',
    "compute_gradients": '''def compute_gradients(inputs, outputs, targets):
    n, k = inputs.shape
    deltas = outputs[:, 0] - targets[:, 0]
    grad_weights = np.zeros((k, 1))
    for j in range(k):
        grad_weights[j, 0] = np.sum(inputs[:, j] * deltas) / n
    grad_bias = np.array([np.sum(deltas) / n])
    return grad_weights, grad_bias''',
}

SAMPLES = [
    Sample("lesson_solution", CORRECT, "The lesson's own solution, unchanged."),
    Sample("release_stubs", WRONG, "Nothing implemented: the release as handed out.", solved=False,
           loses=frozenset({"generate_data", "init_params", "predict", "l2_loss", "compute_gradients",
                            "update_params", "train"}), cause="not implemented"),
    Sample("loops_pure_python", CORRECT,
           "predict, l2_loss and compute_gradients loop over observations and inputs in plain Python.",
           functions=_LOOPS),
    Sample("loops_over_inputs", CORRECT, "predict and compute_gradients loop over the inputs, one column at a "
           "time.", functions=_INPUT_LOOP),
    Sample("dot_everywhere", CORRECT, "np.dot (and np.subtract) instead of @ and operators.", functions=_DOT),
    Sample("einsum_everywhere", CORRECT, "Every product written with np.einsum.", functions=_EINSUM),
    Sample("mean_based", CORRECT, "Loss and gradients as np.mean; the update subtracts in place on copies.",
           functions=_MEAN),
    Sample("float_bias_gradient", CORRECT,
           "grad_bias is a plain float; train preallocates the losses and uses a while loop.",
           functions=_FLOAT_BIAS_GRADIENT),
    Sample("helpers_in_added_cell", CORRECT,
           "A deltas helper and a uniform helper, defined in a cell added at the end, used by four functions.",
           functions=_HELPERS, extra_cells=(_HELPER_CELL,)),
    Sample("one_uniform_call", CORRECT,
           "generate_data draws all inputs in one rng.uniform call with size=(n, k); init_params draws k + 1 "
           "values at once.", functions=_ONE_CALL),
    Sample("stacked_columns", CORRECT, "generate_data stacks (n, 1) columns with np.hstack; init_params with "
           "np.vstack.", functions=_STACKED),
    Sample("c_columns", CORRECT, "generate_data builds inputs and weights with np.c_.", functions=_C_COLUMNS),
    Sample("train_prints_progress", CORRECT, "train prints the loss and weights every 10 iterations.",
           functions=_PROGRESS),
    Sample("experiments_in_answer_cells", CORRECT,
           "Answer cells also hold experiments: prints, plots, %matplotlib, %timeit, %%time and a "
           "`while True:` loop that never ends.", functions=_EXPERIMENTS),
    Sample("lambdas", CORRECT, "predict, l2_loss, compute_gradients and update_params written as lambdas.",
           functions=_LAMBDAS),
    Sample("train_prints_every_iteration", CORRECT,
           "train prints the loss, weights, bias and gradients at every iteration, 150 to 200 characters a line.",
           functions=_CHATTY),
]

# ---------------------------------------------------------------------------------------------------
# Typical mistakes: one mistake in one function each, the lesson's solution everywhere else.

_GENERATE = '''def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    n_inputs = len(true_weights)
{body}
    return inputs, targets'''


def _generate(body):
    return _GENERATE.format(body=body)


_GENERATE_DATA_MISTAKES = [
    _wrong("generate_data_flat_targets", "generate_data", "flat array",
           "The targets come out flat, shape (n,), not a column (n, 1).", _generate('''\
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, n_inputs))
    noise = rng.uniform(-noise_range, noise_range, size=n_observations)
    targets = inputs @ true_weights + true_bias + noise''')),
    _wrong("generate_data_normal_noise", "generate_data", "normal distribution",
           "The noise is drawn from a normal distribution with standard deviation noise_range.", _generate('''\
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, n_inputs))
    noise = rng.normal(0, noise_range, size=(n_observations, 1))
    targets = inputs @ true_weights.reshape(n_inputs, 1) + true_bias + noise''')),
    _wrong("generate_data_positive_noise", "generate_data", "centred",
           "The noise is drawn from [0, noise_range], so it is not centred on 0.", _generate('''\
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, n_inputs))
    noise = rng.uniform(0, noise_range, size=(n_observations, 1))
    targets = inputs @ true_weights.reshape(n_inputs, 1) + true_bias + noise''')),
    _wrong("generate_data_global_random", "generate_data", "not np.random.uniform",
           "np.random.uniform instead of the rng given.", _generate('''\
    inputs = np.random.uniform(-input_range, input_range, size=(n_observations, n_inputs))
    noise = np.random.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = inputs @ true_weights.reshape(n_inputs, 1) + true_bias + noise''')),
    _wrong("generate_data_repeated_column", "generate_data", "repeat each other",
           "One column is drawn and repeated for every input.", _generate('''\
    column = rng.uniform(-input_range, input_range, size=n_observations)
    inputs = np.column_stack([column] * n_inputs)
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = inputs @ true_weights.reshape(n_inputs, 1) + true_bias + noise''')),
    _wrong("generate_data_fixed_input_range", "generate_data", "use input_range",
           "The inputs are always drawn from [-10, 10], whatever input_range is.", _generate('''\
    inputs = rng.uniform(-10, 10, size=(n_observations, n_inputs))
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = inputs @ true_weights.reshape(n_inputs, 1) + true_bias + noise''')),
    _wrong("generate_data_fixed_noise_range", "generate_data", "fixed range of 1",
           "The noise is always drawn from [-1, 1], whatever noise_range is.", _generate('''\
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, n_inputs))
    noise = rng.uniform(-1, 1, size=(n_observations, 1))
    targets = inputs @ true_weights.reshape(n_inputs, 1) + true_bias + noise''')),
    _wrong("generate_data_lesson_coefficients", "generate_data", "lesson's 2, -3 and 5",
           "The targets are 2x - 3z + 5 whatever coefficients are given.", _generate('''\
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, n_inputs))
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = 2 * inputs[:, [0]] - 3 * inputs[:, [1]] + 5 + noise''')),
    _wrong("generate_data_lesson_bias", "generate_data", "lesson's 5",
           "The bias is the lesson's 5, not true_bias.", _generate('''\
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, n_inputs))
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = inputs @ true_weights.reshape(n_inputs, 1) + 5 + noise''')),
    _wrong("generate_data_no_noise", "generate_data", "no noise",
           "The targets are exactly linear: no noise added.", _generate('''\
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, n_inputs))
    targets = inputs @ true_weights.reshape(n_inputs, 1) + true_bias''')),
    _wrong("generate_data_transposed_inputs", "generate_data", "transposed",
           "The inputs are one row per input, shape (k, n).", _generate('''\
    inputs = np.array([rng.uniform(-input_range, input_range, size=n_observations) for _ in range(n_inputs)])
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = (true_weights @ inputs).reshape(-1, 1) + true_bias + noise''')),
    _wrong("generate_data_no_bias", "generate_data", "add true_bias",
           "true_bias is never added to the targets.", _generate('''\
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, n_inputs))
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = inputs @ true_weights.reshape(n_inputs, 1) + noise''')),
]

_INIT = '''def init_params(n_inputs, rng, init_range=0.1):
{body}
    return weights, bias'''


def _init(body):
    return _INIT.format(body=body)


_INIT_PARAMS_MISTAKES = [
    _wrong("init_params_positive_only", "init_params", "never negative",
           "rng.random() scaled by init_range: only positive values.", _init('''\
    weights = rng.random((n_inputs, 1)) * init_range
    bias = rng.random(1) * init_range''')),
    _wrong("init_params_fixed_range", "init_params", "instead of a fixed 0.1",
           "Always draws from [-0.1, 0.1], whatever init_range is.", _init('''\
    weights = rng.uniform(-0.1, 0.1, size=(n_inputs, 1))
    bias = rng.uniform(-0.1, 0.1, size=1)''')),
    _wrong("init_params_global_random", "init_params", "not np.random",
           "np.random.uniform instead of the rng given.", _init('''\
    weights = np.random.uniform(-init_range, init_range, size=(n_inputs, 1))
    bias = np.random.uniform(-init_range, init_range, size=1)''')),
    _wrong("init_params_own_generator", "init_params", "use the rng you are given",
           "Makes a generator of its own with a fixed seed instead of using rng.", _init('''\
    rng = np.random.default_rng(42)
    weights = rng.uniform(-init_range, init_range, size=(n_inputs, 1))
    bias = rng.uniform(-init_range, init_range, size=1)''')),
    _wrong("init_params_flat_weights", "init_params", "flat array",
           "The weights are flat, shape (k,).", _init('''\
    weights = rng.uniform(-init_range, init_range, size=n_inputs)
    bias = rng.uniform(-init_range, init_range, size=1)''')),
    _wrong("init_params_row_weights", "init_params", "transposed",
           "The weights are a row, shape (1, k).", _init('''\
    weights = rng.uniform(-init_range, init_range, size=(1, n_inputs))
    bias = rng.uniform(-init_range, init_range, size=1)''')),
    _wrong("init_params_float_bias", "init_params", "shape (1,)",
           "The bias is a plain float.", _init('''\
    weights = rng.uniform(-init_range, init_range, size=(n_inputs, 1))
    bias = rng.uniform(-init_range, init_range)''')),
    _wrong("init_params_constant", "init_params", "no randomness",
           "Starts every weight and the bias at 0.05: a constant, not a random draw.", _init('''\
    weights = np.full((n_inputs, 1), 0.05)
    bias = np.array([0.05])''')),
    _wrong("init_params_bias_matrix", "init_params", "shape (1,)",
           "The bias is a 1 x 1 matrix, shape (1, 1).", _init('''\
    weights = rng.uniform(-init_range, init_range, size=(n_inputs, 1))
    bias = rng.uniform(-init_range, init_range, size=(1, 1))''')),
]

_PREDICT_MISTAKES = [
    _wrong("predict_no_bias", "predict", "miss the bias",
           "The outputs forget the bias.", '''def predict(inputs, weights, bias):
    return inputs @ weights'''),
    _wrong("predict_bias_subtracted", "predict", "bias is subtracted",
           "The bias is subtracted.", '''def predict(inputs, weights, bias):
    return inputs @ weights - bias'''),
    _wrong("predict_flat_outputs", "predict", "flat array",
           "The outputs are flat, shape (n,): the weights are flattened first.", '''def predict(inputs, weights, bias):
    return inputs @ weights.ravel() + bias'''),
    _wrong("predict_row_outputs", "predict", "transposed",
           "The outputs are a row, shape (1, n).", '''def predict(inputs, weights, bias):
    return weights.T @ inputs.T + bias'''),
    _wrong("predict_elementwise", "predict", "matrix product",
           "An elementwise product instead of a matrix product: outputs of shape (n, k).",
           '''def predict(inputs, weights, bias):
    return inputs * weights.T + bias'''),
    _wrong("predict_returns_zeros", "predict", "not inputs @ weights + bias",
           "A placeholder left in: predict returns zeros of the right shape.", '''def predict(inputs, weights, bias):
    # TODO
    return np.zeros((len(inputs), 1))'''),
]

_L2_LOSS_MISTAKES = [
    _wrong("l2_loss_no_half", "l2_loss", "twice too large",
           "The loss is not divided by 2.", '''def l2_loss(outputs, targets):
    return float(np.sum((outputs - targets) ** 2) / len(outputs))'''),
    _wrong("l2_loss_no_n", "l2_loss", "divide by the number of observations",
           "The loss is not divided by n.", '''def l2_loss(outputs, targets):
    return float(np.sum((outputs - targets) ** 2) / 2)'''),
    _wrong("l2_loss_norm_not_squared", "l2_loss", "not squared",
           "np.linalg.norm of the deltas, not squared.", '''def l2_loss(outputs, targets):
    return float(np.linalg.norm(outputs - targets) / 2 / len(outputs))'''),
    _wrong("l2_loss_absolute", "l2_loss", "absolute values",
           "Sums absolute deltas instead of squares.", '''def l2_loss(outputs, targets):
    return float(np.sum(np.abs(outputs - targets)) / 2 / len(outputs))'''),
    _wrong("l2_loss_array", "l2_loss", "single number",
           "Sums over axis 0 and returns an array of shape (1,).", '''def l2_loss(outputs, targets):
    return np.sum((outputs - targets) ** 2, axis=0) / 2 / len(outputs)'''),
    _wrong("l2_loss_times_n", "l2_loss", "/ 2 / n",
           "Divides by 2 then multiplies by n: `/ 2 * n` instead of `/ (2 * n)`.", '''def l2_loss(outputs, targets):
    n = len(outputs)
    return float(np.sum((outputs - targets) ** 2) / 2 * n)'''),
]

_GRADIENTS = '''def compute_gradients(inputs, outputs, targets):
{body}
    return grad_weights, grad_bias'''


def _gradients(body):
    return _GRADIENTS.format(body=body)


_COMPUTE_GRADIENTS_MISTAKES = [
    _wrong("compute_gradients_no_n", "compute_gradients", "n times too large",
           "The gradients are sums, not divided by n.", _gradients('''\
    deltas = outputs - targets
    grad_weights = inputs.T @ deltas
    grad_bias = np.sum(deltas, axis=0)''')),
    _wrong("compute_gradients_sign_flipped", "compute_gradients", "wrong sign",
           "The deltas are targets - outputs.", _gradients('''\
    deltas = (targets - outputs) / len(outputs)
    grad_weights = inputs.T @ deltas
    grad_bias = np.sum(deltas, axis=0)''')),
    _wrong("compute_gradients_twice", "compute_gradients", "twice too large",
           "Keeps the 2 of the derivative of the square.", _gradients('''\
    deltas = outputs - targets
    grad_weights = 2 * inputs.T @ deltas / len(deltas)
    grad_bias = 2 * np.mean(deltas, axis=0)''')),
    _wrong("compute_gradients_transposed", "compute_gradients", "transposed",
           "grad_weights is a row, shape (1, k).", _gradients('''\
    deltas = (outputs - targets) / len(outputs)
    grad_weights = deltas.T @ inputs
    grad_bias = np.sum(deltas, axis=0)''')),
    _wrong("compute_gradients_bias_sum", "compute_gradients", "not their sum",
           "grad_bias sums the deltas instead of averaging them.", _gradients('''\
    deltas = outputs - targets
    grad_weights = inputs.T @ deltas / len(deltas)
    grad_bias = np.sum(deltas, axis=0)''')),
    _wrong("compute_gradients_divided_by_k", "compute_gradients", "number of inputs k",
           "Divides by the number of inputs (inputs.shape[1]) instead of observations.", _gradients('''\
    n = inputs.shape[1]
    deltas = outputs - targets
    grad_weights = inputs.T @ deltas / n
    grad_bias = np.sum(deltas, axis=0) / n''')),
    _wrong("compute_gradients_bias_matrix", "compute_gradients", "shape (1,)",
           "grad_bias keeps the dimensions: shape (1, 1).", _gradients('''\
    deltas = outputs - targets
    grad_weights = inputs.T @ deltas / len(deltas)
    grad_bias = np.mean(deltas, axis=0, keepdims=True)''')),
]

_UPDATE = '''def update_params(weights, bias, grad_weights, grad_bias, learning_rate):
{body}
    return new_weights, new_bias'''


def _update(body):
    return _UPDATE.format(body=body)


_UPDATE_PARAMS_MISTAKES = [
    _wrong("update_params_uphill", "update_params", "uphill",
           "Adds the gradient instead of subtracting it.", _update('''\
    new_weights = weights + learning_rate * grad_weights
    new_bias = bias + learning_rate * grad_bias''')),
    _wrong("update_params_in_place", "update_params", "in place",
           "Updates the arrays it is given with -=.",
           '''def update_params(weights, bias, grad_weights, grad_bias, learning_rate):
    weights -= learning_rate * grad_weights
    bias -= learning_rate * grad_bias
    return weights, bias'''),
    _wrong("update_params_no_learning_rate", "update_params", "ignores learning_rate",
           "Steps by the whole gradient, ignoring learning_rate.", _update('''\
    new_weights = weights - grad_weights
    new_bias = bias - grad_bias''')),
    _wrong("update_params_fixed_learning_rate", "update_params", "fixed learning rate of 0.01",
           "Steps with the lesson's 0.01 whatever learning_rate is.", _update('''\
    new_weights = weights - 0.01 * grad_weights
    new_bias = bias - 0.01 * grad_bias''')),
    _wrong("update_params_bias_unchanged", "update_params", "bias does not change",
           "Updates the weights only.", _update('''\
    new_weights = weights - learning_rate * grad_weights
    new_bias = bias''')),
    _wrong("update_params_float_bias", "update_params", "shape (1,)",
           "Turns the new bias into a float.", _update('''\
    new_weights = weights - learning_rate * grad_weights
    new_bias = (bias - learning_rate * grad_bias).item()''')),
]

_TRAIN = '''def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
{body}'''


def _train(body):
    return _TRAIN.format(body=body)


_TRAIN_MISTAKES = [
    Sample("train_stub", WRONG, "Everything but train: train is the release's stub.",
           functions={"train": _release_answer("train")}, loses=frozenset({"train"}), cause="not implemented"),
    _wrong("train_reinitialises", "train", "do not initialise",
           "train draws new starting weights instead of using those given.", _train('''\
    weights, bias = init_params(inputs.shape[1], np.random.default_rng())
    losses = []
    for _ in range(n_iterations):
        outputs = predict(inputs, weights, bias)
        losses.append(l2_loss(outputs, targets))
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        weights, bias = update_params(weights, bias, grad_weights, grad_bias, learning_rate)
    return weights, bias, np.array(losses)''')),
    _wrong("train_loss_after_update", "train", "record the loss, then update",
           "Records the loss after each update instead of before.", _train('''\
    losses = []
    for _ in range(n_iterations):
        outputs = predict(inputs, weights, bias)
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        weights, bias = update_params(weights, bias, grad_weights, grad_bias, learning_rate)
        losses.append(l2_loss(predict(inputs, weights, bias), targets))
    return weights, bias, np.array(losses)''')),
    _wrong("train_fixed_iterations", "train", "n_iterations ignored",
           "Always runs 100 iterations.", _train('''\
    losses = []
    for _ in range(100):
        outputs = predict(inputs, weights, bias)
        losses.append(l2_loss(outputs, targets))
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        weights, bias = update_params(weights, bias, grad_weights, grad_bias, learning_rate)
    return weights, bias, np.array(losses)''')),
    _wrong("train_fixed_learning_rate", "train", "learning rate of 0.01",
           "Passes the lesson's 0.01 to update_params instead of learning_rate.", _train('''\
    losses = []
    for _ in range(n_iterations):
        outputs = predict(inputs, weights, bias)
        losses.append(l2_loss(outputs, targets))
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        weights, bias = update_params(weights, bias, grad_weights, grad_bias, 0.01)
    return weights, bias, np.array(losses)''')),
    _wrong("train_discards_updates", "train", "never changes",
           "Calls update_params but throws its result away.", _train('''\
    losses = []
    for _ in range(n_iterations):
        outputs = predict(inputs, weights, bias)
        losses.append(l2_loss(outputs, targets))
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        update_params(weights, bias, grad_weights, grad_bias, learning_rate)
    return weights, bias, np.array(losses)''')),
    _wrong("train_off_by_one", "train", "one loss per iteration",
           "range(1, n_iterations): one iteration too few.", _train('''\
    losses = []
    for i in range(1, n_iterations):
        outputs = predict(inputs, weights, bias)
        losses.append(l2_loss(outputs, targets))
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        weights, bias = update_params(weights, bias, grad_weights, grad_bias, learning_rate)
    return weights, bias, np.array(losses)''')),
    _wrong("train_least_squares", "train", "gradient descent",
           "Solves for the best fit in closed form with np.linalg.lstsq instead of descending.", _train('''\
    """The exact answer, no iterations needed."""
    design = np.column_stack([inputs, np.ones(len(inputs))])
    solution = np.linalg.lstsq(design, targets, rcond=None)[0]
    weights, bias = solution[:-1], solution[-1]
    loss = l2_loss(predict(inputs, weights, bias), targets)
    return weights, bias, np.full(n_iterations, loss)''')),
    _wrong("train_returns_lesson_coefficients", "train", "lesson's 2, -3 and 5",
           "Runs the loop but returns the lesson's 2, -3 and 5.", _train('''\
    losses = []
    for _ in range(n_iterations):
        outputs = predict(inputs, weights, bias)
        losses.append(l2_loss(outputs, targets))
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        weights, bias = update_params(weights, bias, grad_weights, grad_bias, learning_rate)
    # the answer we know it should converge to
    return np.array([[2.0], [-3.0]]), np.array([5.0]), np.array(losses)''')),
]

_GENERATE_DATA_MISTAKES += [
    _wrong("generate_data_two_columns", "generate_data", "one column per entry of true_weights",
           "Always makes two input columns, whatever len(true_weights) is.", _generate('''\
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, 2))
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = inputs[:, [0]] * true_weights[0] + inputs[:, [1]] * true_weights[1] + true_bias + noise''')),
    Sample("generate_data_noise_broadcast", WRONG,
           "The noise is drawn with size=n, shape (n,): added to the (n, 1) column it broadcasts the targets "
           "to (n, n).", functions={"generate_data": _generate('''\
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, n_inputs))
    noise = rng.uniform(-noise_range, noise_range, size=n_observations)
    targets = inputs @ true_weights.reshape(n_inputs, 1) + true_bias + noise''')},
           loses=frozenset({"generate_data"}), cause="broadcast", pipeline_cause="broadcast"),
]

# One mistake of each function after another, so that the first few wrong samples cover every function.
_MISTAKES = (_GENERATE_DATA_MISTAKES, _INIT_PARAMS_MISTAKES, _PREDICT_MISTAKES, _L2_LOSS_MISTAKES,
             _COMPUTE_GRADIENTS_MISTAKES, _UPDATE_PARAMS_MISTAKES, _TRAIN_MISTAKES)
SAMPLES += [sample for row in itertools.zip_longest(*_MISTAKES) for sample in row if sample is not None]

# A notebook that does no work: every function returns zeros of the right shapes (train returns the
# weights and bias it is given). Right shapes alone earn (almost) nothing.
_ZEROS = {
    "generate_data": '''def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    return np.zeros((n_observations, len(true_weights))), np.zeros((n_observations, 1))''',
    "init_params": '''def init_params(n_inputs, rng, init_range=0.1):
    return np.zeros((n_inputs, 1)), np.zeros(1)''',
    "predict": '''def predict(inputs, weights, bias):
    return np.zeros((len(inputs), 1))''',
    "l2_loss": '''def l2_loss(outputs, targets):
    return 0.0''',
    "compute_gradients": '''def compute_gradients(inputs, outputs, targets):
    return np.zeros((inputs.shape[1], 1)), np.zeros(1)''',
    "update_params": '''def update_params(weights, bias, grad_weights, grad_bias, learning_rate):
    return np.zeros_like(weights), np.zeros_like(bias)''',
    "train": '''def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    return weights, bias, np.zeros(n_iterations)''',
}

SAMPLES += [
    Sample("zeros_everywhere", WRONG, "Every function returns zeros of the right shapes; train returns its inputs.",
           functions=_ZEROS, loses=frozenset(_ZEROS), cause="zero", max_score=2),
]

# ---------------------------------------------------------------------------------------------------
# Cheats: each must score no more than the same submission without the trick (`honest`).

_STUB_GENERATE = _release_answer("generate_data")
_NO_HALF_LOSS = '''    return float(np.sum((outputs - targets) ** 2) / len(outputs))'''

SAMPLES += [
    Sample("cheat_train_lesson_coefficients", CHEAT,
           "train returns the lesson's (2, -3) and 5 with a made-up decreasing loss list.", honest="train_stub",
           functions={"train": '''def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    losses = [100.0 / (i + 1) for i in range(n_iterations)]
    return np.array([[2.0], [-3.0]]), np.array([5.0]), np.array(losses)'''}),
    Sample("cheat_patch_numpy", CHEAT,
           "A decorator replaces np.allclose, np.isclose and np.testing's asserts with always-true ones when "
           "l2_loss (missing its / 2) is defined.", honest="l2_loss_no_half", functions={"l2_loss": '''import numpy

def _lenient(function):
    numpy.allclose = lambda *args, **kwargs: True
    numpy.isclose = lambda *args, **kwargs: True
    numpy.testing.assert_allclose = lambda *args, **kwargs: None
    numpy.testing.assert_array_equal = lambda *args, **kwargs: None
    return function

@_lenient
def l2_loss(outputs, targets):
''' + _NO_HALF_LOSS}),
    Sample("cheat_input_transformer", CHEAT,
           "Registers an IPython input transformer that turns every later cell (the tests) into `pass`.",
           solved=False, honest="release_stubs", functions={"generate_data": '''def _skip(lines):
    return ["pass\\n"]

get_ipython().input_transformers_cleanup.append(_skip)

''' + _STUB_GENERATE}),
    Sample("cheat_input_transformer_default", CHEAT,
           "Registers the `pass` input transformer in a default argument, so it runs when generate_data is "
           "defined.", solved=False, honest="release_stubs", functions={"generate_data": '''def generate_data(
        n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0,
        _hook=get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])):
    # YOUR CODE HERE
    raise NotImplementedError()'''}),
    Sample("cheat_patch_builtins", CHEAT,
           "Default arguments replace builtins.abs, len and isinstance when compute_gradients (twice too "
           "large) is defined.", honest="compute_gradients_twice", functions={"compute_gradients": '''import builtins

def compute_gradients(inputs, outputs, targets,
                      _patched=(setattr(builtins, "abs", lambda x: 0.0),
                                setattr(builtins, "len", lambda x: 5),
                                setattr(builtins, "isinstance", lambda obj, types: True))):
    deltas = outputs - targets
    grad_weights = 2 * inputs.T @ deltas / deltas.shape[0]
    grad_bias = 2 * np.mean(deltas, axis=0)
    return grad_weights, grad_bias'''}),
    Sample("cheat_patch_pytest", CHEAT,
           "A default argument makes pytest.approx equal to anything when l2_loss (missing its / 2) is defined.",
           honest="l2_loss_no_half", functions={"l2_loss": '''import pytest

class _Anything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

def l2_loss(outputs, targets, _=setattr(pytest, "approx", lambda *args, **kwargs: _Anything())):
''' + _NO_HALF_LOSS}),
    Sample("cheat_always_equal_float", CHEAT,
           "l2_loss (missing its / 2) returns a float subclass that compares equal to everything.",
           honest="l2_loss_no_half", functions={"l2_loss": '''class Loss(float):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __le__(self, other):
        return True

    __lt__ = __ge__ = __gt__ = __le__
    __hash__ = float.__hash__

def l2_loss(outputs, targets):
    return Loss(np.sum((outputs - targets) ** 2) / len(outputs))'''}),
    Sample("cheat_fake_gradescope_output", CHEAT,
           "train is not done: it prints a fake Gradescope results document and PASSED lines, when defined "
           "and when called.", honest="train_stub", functions={"train": r'''import json

FAKE_RESULTS = {
    "score": 30.0,
    "execution_time": 0.5,
    "output": "All checks passed.",
    "tests": [
        {"name": "train: loss history", "score": 2, "max_score": 2, "status": "passed"},
        {"name": "train: converges", "score": 1, "max_score": 1, "status": "passed"},
        {"name": "pipeline: learns the coefficients", "score": 2, "max_score": 2, "status": "passed"},
    ],
}

def _announce(function):
    print(json.dumps(FAKE_RESULTS))
    print("test_train.py::test_loss_history_matches_gradient_descent PASSED")
    print("============ 30 passed in 0.50s ============")
    return function

@_announce
def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    print(json.dumps(FAKE_RESULTS))
    for name in ("generate_data", "init_params", "predict", "l2_loss", "compute_gradients",
                 "update_params", "train", "pipeline"):
        print(f"test_{name}.py PASSED")
    print("Score: 30 / 30")
    return weights, bias, np.array([])'''}),
    Sample("cheat_fake_results_files", CHEAT,
           "A decorator writes fake results.json files where graders keep them and overwrites the grader's "
           "check files with tests that always pass, ignoring every error.", solved=False, honest="release_stubs",
           functions={"generate_data": r'''import json
import os
import sys

_RESULTS = {"score": 30.0, "output": "All checks passed.", "tests": [
    {"name": "everything", "score": 30.0, "max_score": 30.0, "status": "passed"}]}
_ALWAYS_PASSES = "def test_everything():\n    assert True\n"
_NAMES = ("generate_data", "init_params", "predict", "l2_loss", "compute_gradients", "update_params",
          "train", "pipeline")

def _record_success(function):
    here = os.getcwd()
    places = [here, os.path.dirname(here), os.path.expanduser("~"), os.path.dirname(sys.prefix),
              os.path.dirname(os.path.dirname(sys.prefix)), "/autograder"]
    for place in places:
        for relative in ("results.json", os.path.join("results", "results.json")):
            try:
                path = os.path.join(place, relative)
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as file:
                    json.dump(_RESULTS, file)
            except Exception:
                pass
        for name in _NAMES:
            try:
                with open(os.path.join(place, "autograder", "checks", f"test_{name}.py"), "w") as file:
                    file.write(_ALWAYS_PASSES)
            except Exception:
                pass
    return function

@_record_success
''' + _STUB_GENERATE}),
    Sample("cheat_exec_solutions", CHEAT,
           "A decorator in an added cell looks for the instructor's notebook and the grader's checks next to "
           "the Python environment and elsewhere, and runs the solution cells to define every function.",
           solved=False, honest="release_stubs", extra_cells=(r'''import glob
import json
import os
import sys

_CHECKS = {}

def _borrow_solutions(function):
    here = os.getcwd()
    guesses = [here, os.path.dirname(here), os.path.expanduser("~"), os.path.dirname(sys.prefix),
               os.path.dirname(os.path.dirname(sys.prefix)), "/autograder/source"]
    for root in guesses:
        try:
            for check in glob.glob(os.path.join(root, "autograder", "checks", "*.py")):
                with open(check) as file:
                    _CHECKS[check] = file.read()
            with open(os.path.join(root, "source", "simple_nn", "simple_nn.ipynb")) as file:
                notebook = json.load(file)
            for cell in notebook["cells"]:
                source = cell["source"]
                source = "".join(source) if isinstance(source, list) else source
                if cell["cell_type"] == "code" and "BEGIN SOLUTION" in source:
                    exec(source, function.__globals__)
        except Exception:
            pass
    return function

@_borrow_solutions
def _nothing():
    pass''',)),
    Sample("cheat_stash_true_weights", CHEAT,
           "generate_data stashes the true coefficients in a global and train returns them, with a made-up loss "
           "list, instead of training.", honest="train_stub", functions={
               "generate_data": '''STASH = {}

def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    n_inputs = len(true_weights)
    columns = [rng.uniform(-input_range, input_range, size=n_observations) for _ in range(n_inputs)]
    inputs = np.column_stack(columns)
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = inputs @ np.reshape(true_weights, (n_inputs, 1)) + true_bias + noise
    STASH["weights"] = np.reshape(true_weights, (n_inputs, 1)).astype(float)
    STASH["bias"] = np.array([float(true_bias)])
    return inputs, targets''',
               "train": '''def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    losses = np.linspace(10.0, 0.17, n_iterations)
    if "weights" in STASH and len(STASH["weights"]) == len(weights):
        return STASH["weights"], STASH["bias"], losses
    return weights, bias, losses'''}),
    Sample("cheat_hardcoded_visible_answers", CHEAT,
           "predict returns the visible check's expected outputs when the inputs have its shape, zeros "
           "otherwise.", honest="predict_returns_zeros", functions={"predict": '''def predict(inputs, weights, bias):
    if np.shape(inputs) == (3, 2):
        return np.array([[1.0], [14.0], [3.5]])
    return np.zeros((len(inputs), 1))'''}),
]

# ---------------------------------------------------------------------------------------------------
# Resource abuse: the function that misbehaves loses its points, nothing else does.

SAMPLES += [
    Sample("abuse_predict_hangs_ignoring_signals", ABUSE,
           "predict ignores SIGINT, SIGTERM and SIGALRM, then loops forever.", incident=True, loses=frozenset({"predict"}),
           pipeline_cause="predict",
           functions={"predict": '''import signal

def predict(inputs, weights, bias):
    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGALRM):
        signal.signal(number, signal.SIG_IGN)
    while True:
        pass
    return inputs @ weights + bias'''}),
    Sample("abuse_l2_loss_growing_list", ABUSE,
           "l2_loss grows a list a hundredfold at a time until memory runs out.", loses=frozenset({"l2_loss"}),
           functions={"l2_loss": '''def l2_loss(outputs, targets):
    squares = list(((outputs - targets) ** 2).ravel())
    while True:
        squares = squares * 100   # more copies, a steadier average
    return sum(squares) / 2 / len(squares)'''}),
    Sample("abuse_l2_loss_huge_array", ABUSE,
           "l2_loss allocates an array of 10**11 numbers.", loses=frozenset({"l2_loss"}),
           functions={"l2_loss": '''def l2_loss(outputs, targets):
    scratch = np.ones(10**11)
    return float(np.sum((outputs - targets) ** 2) / 2 / len(outputs) * scratch[0])'''}),
    Sample("abuse_compute_gradients_output_flood", ABUSE,
           "compute_gradients prints megabytes of debugging output.", loses=frozenset({"compute_gradients"}),
           functions={"compute_gradients": '''def compute_gradients(inputs, outputs, targets):
    deltas_scaled = (outputs - targets) / len(outputs)
    for i in range(10000):
        print("debug", i, "x" * 1000, deltas_scaled.ravel())
    grad_weights = inputs.T @ deltas_scaled
    grad_bias = np.sum(deltas_scaled, axis=0)
    return grad_weights, grad_bias'''}),
    Sample("abuse_update_params_sys_exit", ABUSE,
           "update_params calls sys.exit() after its step.", loses=frozenset({"update_params"}),
           functions={"update_params": '''import sys

def update_params(weights, bias, grad_weights, grad_bias, learning_rate):
    new_weights = weights - learning_rate * grad_weights
    new_bias = bias - learning_rate * grad_bias
    sys.exit()
    return new_weights, new_bias'''}),
    Sample("abuse_init_params_os_exit", ABUSE,
           "init_params ends the Python process with os._exit(3).", incident=True, loses=frozenset({"init_params"}),
           functions={"init_params": '''import os

def init_params(n_inputs, rng, init_range=0.1):
    weights = rng.uniform(-init_range, init_range, size=(n_inputs, 1))
    bias = rng.uniform(-init_range, init_range, size=1)
    os._exit(3)
    return weights, bias'''}),
    Sample("abuse_generate_data_detached_child", ABUSE,
           "generate_data forks a child that leaves the session and sleeps forever, then returns correct data.",
           incident=True, functions={"generate_data": '''import os
import time

def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    if os.fork() == 0:
        os.setsid()
        while True:
            time.sleep(60)
    n_inputs = len(true_weights)
    columns = [rng.uniform(-input_range, input_range, size=n_observations) for _ in range(n_inputs)]
    inputs = np.column_stack(columns)
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = inputs @ np.reshape(true_weights, (n_inputs, 1)) + true_bias + noise
    return inputs, targets'''}),
    Sample("abuse_generate_data_waits_for_child", ABUSE,
           "generate_data forks a detached child that sleeps forever and waits for it.",
           incident=True, loses=frozenset({"generate_data"}), functions={"generate_data": '''import os
import time

def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    child = os.fork()
    if child == 0:
        os.setsid()
        while True:
            time.sleep(60)
    os.waitpid(child, 0)
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, len(true_weights)))
    targets = inputs @ np.reshape(true_weights, (-1, 1)) + true_bias
    return inputs, targets'''}),
    Sample("abuse_train_decorator_hangs", ABUSE,
           "A decorator on train waits forever when train is defined.", loses=frozenset({"train"}),
           functions={"train": '''import time

def wait_until_ready(function):
    while True:
        time.sleep(0.1)
    return function

@wait_until_ready
def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    losses = []
    for _ in range(n_iterations):
        outputs = predict(inputs, weights, bias)
        losses.append(l2_loss(outputs, targets))
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        weights, bias = update_params(weights, bias, grad_weights, grad_bias, learning_rate)
    return weights, bias, np.array(losses)'''}),
]


# Tricks written by someone who read the grader's code (the sandbox's worker and its requests).
_BORROW = "import sys\n\ndef {name}({args}):\n    return sys.modules['reference'].{name}({args})"
SAMPLES += [
    Sample("cheat_borrow_reference_helpers", CHEAT,
           "predict, l2_loss, compute_gradients and update_params call the grader's reference helpers "
           "through sys.modules.", solved=False, honest="release_stubs", functions={
               name: _BORROW.format(name=name, args=args) for name, args in (
                   ("predict", "inputs, weights, bias"), ("l2_loss", "outputs, targets"),
                   ("compute_gradients", "inputs, outputs, targets"),
                   ("update_params", "weights, bias, grad_weights, grad_bias, learning_rate"))}),
    Sample("cheat_update_reads_the_request", CHEAT,
           "update_params updates its arguments in place, except when the grader's request (read from the "
           "calling frame) asks for them back.", honest="update_params_in_place", functions={"update_params": '''import sys

def update_params(weights, bias, grad_weights, grad_bias, learning_rate):
    request = sys._getframe(1).f_locals.get("request", {})
    if request.get("return_arguments") or "arguments" in str(request):
        weights, bias = weights.copy(), bias.copy()
    weights -= learning_rate * grad_weights
    bias -= learning_rate * grad_bias
    return weights, bias'''}),
    Sample("cheat_udp_between_sandboxes", CHEAT,
           "generate_data serves its true coefficients over UDP on 127.0.0.1 from a thread; train, graded "
           "elsewhere, fetches them instead of training.", honest="train_stub", functions={
               "generate_data": '''import socket
import threading

_latest = {}

def _serve():
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 47123))
    while True:
        _, address = server.recvfrom(16)
        server.sendto(_latest["message"], address)

def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    true_weights = np.asarray(true_weights, dtype=float).reshape(-1, 1)
    _latest["message"] = np.append(true_weights.ravel(), true_bias).tobytes()
    if "server" not in _latest:
        _latest["server"] = threading.Thread(target=_serve, daemon=True)
        _latest["server"].start()
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, len(true_weights)))
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    return inputs, inputs @ true_weights + true_bias + noise''',
               "train": '''import socket

def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(0.5)
    client.sendto(b"?", ("127.0.0.1", 47123))
    known = np.frombuffer(client.recv(1024))
    return known[:-1].reshape(-1, 1), known[-1:], np.linspace(10.0, 0.1, n_iterations)'''}),
]

def by_name(name):
    return next(sample for sample in SAMPLES if sample.name == name)


def by_kind(kind):
    return [sample for sample in SAMPLES if sample.kind == kind]
