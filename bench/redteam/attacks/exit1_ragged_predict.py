"""predict returns a ragged list of lists: np.shape() in the predict check raises ValueError outside any guard, so grade exits 1 ("the kit failed") on demand."""
KIND = "crash"
CELLS = {"predict": '''def predict(inputs, weights, bias):
    outputs = (inputs @ weights + bias).tolist()
    outputs[-1].append(0.0)          # one row one number too long
    return outputs'''}
