"""generate_data returns its targets as a ragged list: the probe that runs before every generate_data check calls np.shape() on it unguarded (ValueError), so grade exits 1."""
KIND = "crash"
CELLS = {"generate_data": '''def generate_data(n_observations, true_weights, true_bias, rng, input_range=10.0, noise_range=1.0):
    n_inputs = len(true_weights)
    inputs = rng.uniform(-input_range, input_range, size=(n_observations, n_inputs))
    noise = rng.uniform(-noise_range, noise_range, size=(n_observations, 1))
    targets = (inputs @ np.reshape(true_weights, (n_inputs, 1)) + true_bias + noise).tolist()
    targets[0].append(0.0)
    return inputs, targets'''}
