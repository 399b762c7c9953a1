"""The lesson's correct answers (as a student writes them), used for every answer cell an attack leaves alone."""

SOLUTIONS = {
    "generate_data": '''def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    n_inputs = len(true_weights)
    columns = [rng.uniform(-input_range, input_range, size=n_observations) for _ in range(n_inputs)]
    inputs = np.column_stack(columns)
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = inputs @ np.reshape(true_weights, (n_inputs, 1)) + true_bias + noise
    return inputs, targets''',
    "init_params": '''def init_params(n_inputs, rng, init_range=0.1):
    weights = rng.uniform(-init_range, init_range, size=(n_inputs, 1))
    bias = rng.uniform(-init_range, init_range, size=1)
    return weights, bias''',
    "predict": '''def predict(inputs, weights, bias):
    return inputs @ weights + bias''',
    "l2_loss": '''def l2_loss(outputs, targets):
    deltas = outputs - targets
    return float(np.sum(deltas ** 2) / 2 / len(outputs))''',
    "compute_gradients": '''def compute_gradients(inputs, outputs, targets):
    deltas_scaled = (outputs - targets) / len(outputs)
    grad_weights = inputs.T @ deltas_scaled
    grad_bias = np.sum(deltas_scaled, axis=0)
    return grad_weights, grad_bias''',
    "update_params": '''def update_params(weights, bias, grad_weights, grad_bias, learning_rate):
    new_weights = weights - learning_rate * grad_weights
    new_bias = bias - learning_rate * grad_bias
    return new_weights, new_bias''',
    "train": '''def train(inputs, targets, weights, bias, learning_rate=0.01, n_iterations=100):
    losses = []
    for _ in range(n_iterations):
        outputs = predict(inputs, weights, bias)
        losses.append(l2_loss(outputs, targets))
        grad_weights, grad_bias = compute_gradients(inputs, outputs, targets)
        weights, bias = update_params(weights, bias, grad_weights, grad_bias, learning_rate)
    return weights, bias, np.array(losses)''',
}

STUB = "def {name}(*args, **kwargs):\n    raise NotImplementedError()"
