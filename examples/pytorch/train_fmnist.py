"""Trains the fmnist-cnn architecture in PyTorch on Fashion-MNIST and logs the run to convscope:
per-epoch loss/accuracy/val_loss/val_accuracy, the predictions on a test slice with class names
and images (the API computes the evaluation; the dashboard shows the samples), and the model
exported to ONNX, uploaded and registered.

The architecture is libs/ml's `fmnist-cnn` preset (and bench/torch_fmnist.py): conv 32 3x3 same
relu, max-pool 2, conv 64 3x3 same relu, max-pool 2, flatten, dense 128 relu, dropout 0.3,
dense 10 (softmax); Adam 1e-3, batch 64, 10% of the training images held out for validation.
Layer names match the preset's so the two runs compare layer by layer.

Usage: python3 examples/pytorch/train_fmnist.py [--limit N] [--epochs E] [--project NAME]
The API: env CONVSCOPE_API_URL (default http://localhost:4000) and CONVSCOPE_API_KEY.
Data: the four idx .gz files of Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist),
else the subset committed in libs/ml/data/fashion-mnist-subset, or --data-dir.
"""
import argparse
import gzip
import os
import sys
import tempfile
import time
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
try:
    import convscope
except ImportError:  # not pip-installed: use the client in this repository
    sys.path.insert(0, os.path.join(REPO, "clients", "python"))
    import convscope

SYSTEM_DATA = "/usr/share/datasets/fashion-mnist"
SUBSET_DATA = os.path.join(REPO, "libs", "ml", "data", "fashion-mnist-subset")
CLASS_NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
               "Sneaker", "Bag", "Ankle boot"]


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--limit", type=int, default=60000, help="training images used (before the validation split)")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--test-limit", type=int, default=1000, help="test images predicted and logged")
    p.add_argument("--batch-size", type=int, default=64)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--validation-split", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--project", default="fmnist-pytorch")
    p.add_argument("--name", default=None)
    p.add_argument("--data-dir", default=None)
    p.add_argument("--out", default=None, help="folder for model.onnx (default: a temporary one)")
    return p.parse_args(argv)


def read_idx(data_dir, name, offset):
    """The bytes of an idx file after its header (16 bytes for images, 8 for labels)."""
    with gzip.open(os.path.join(data_dir, name)) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load_data(data_dir, limit):
    """uint8 train/test images [n, 28, 28] and int64 labels."""
    xtr = read_idx(data_dir, "train-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)[:limit]
    ytr = read_idx(data_dir, "train-labels-idx1-ubyte.gz", 8)[:limit].astype(np.int64)
    xte = read_idx(data_dir, "t10k-images-idx3-ubyte.gz", 16).reshape(-1, 28, 28)
    yte = read_idx(data_dir, "t10k-labels-idx1-ubyte.gz", 8).astype(np.int64)
    return xtr, ytr, xte, yte


def fmnist_cnn():
    """The fmnist-cnn preset's layers (logits out: softmax is applied at prediction)."""
    return nn.Sequential(OrderedDict([
        ("conv1", nn.Conv2d(1, 32, 3, padding=1)), ("relu1", nn.ReLU()),
        ("pool1", nn.MaxPool2d(2)),
        ("conv2", nn.Conv2d(32, 64, 3, padding=1)), ("relu2", nn.ReLU()),
        ("pool2", nn.MaxPool2d(2)),
        ("flatten", nn.Flatten()),
        ("fc1", nn.Linear(7 * 7 * 64, 128)), ("relu3", nn.ReLU()),
        ("dropout", nn.Dropout(0.3)),
        ("predictions", nn.Linear(128, 10)),
    ]))


def model_summary(model):
    """The summary a TF.js run stores (layer name, class, NHWC output shape, parameters)."""
    layers = []
    x = torch.zeros(1, 1, 28, 28)
    for name, layer in model.named_children():
        x = layer(x)
        if name.startswith("relu"):
            continue  # fused into the preceding layer's activation in Keras
        shape = list(x.shape[1:])
        shape = shape[1:] + shape[:1] if len(shape) == 3 else shape
        params = sum(p.numel() for p in layer.parameters())
        layers.append({"name": name, "className": type(layer).__name__, "outputShape": shape,
                       "params": params, "trainable": True})
    total = sum(p.numel() for p in model.parameters())
    return {"layers": layers, "totalParams": total, "trainableParams": total}


def to_tensor(images):
    return torch.tensor(images[:, None, :, :] / 255.0, dtype=torch.float32)


def evaluate(model, x, y, batch=512):
    """Mean cross-entropy, accuracy and softmax probabilities of a split."""
    model.eval()
    losses, probs = [], []
    with torch.no_grad():
        for i in range(0, len(x), batch):
            logits = model(x[i:i + batch])
            losses.append(nn.functional.cross_entropy(logits, y[i:i + batch], reduction="sum"))
            probs.append(torch.softmax(logits.double(), 1))
    p = torch.cat(probs)
    return (torch.stack(losses).sum().item() / len(x),
            (p.argmax(1) == y).double().mean().item(), p)


def train_epoch(model, opt, x, y, batch):
    """One epoch in shuffled batches; mean training loss and accuracy."""
    model.train()
    perm = torch.randperm(len(x))
    loss_sum, right = 0.0, 0
    for i in range(0, len(x), batch):
        j = perm[i:i + batch]
        opt.zero_grad()
        logits = model(x[j])
        loss = nn.functional.cross_entropy(logits, y[j])
        loss.backward()
        opt.step()
        loss_sum += loss.item() * len(j)
        right += (logits.argmax(1) == y[j]).sum().item()
    return loss_sum / len(x), right / len(x)


def export_model(model, out_dir):
    """model.onnx (torch.onnx.export needs no `onnx` package); else a TorchScript file."""
    model.eval()
    path = os.path.join(out_dir, "model.onnx")
    try:
        torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, input_names=["image"],
                          output_names=["logits"], dynamic_axes={"image": {0: "batch"}},
                          opset_version=13)
        return path, "ONNX"
    except Exception as err:  # an exporter without its dependencies: keep a TorchScript model
        print("ONNX export failed (%s); storing TorchScript instead (not registrable)" % err)
        path = os.path.join(out_dir, "model.pt")
        torch.jit.trace(model, torch.zeros(1, 1, 28, 28)).save(path)
        return path, None


def main(argv=None):
    args = parse_args(argv)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    data_dir = args.data_dir or (SYSTEM_DATA if os.path.isdir(SYSTEM_DATA) else SUBSET_DATA)
    xtr, ytr, xte, yte = load_data(data_dir, args.limit)
    n_val = int(round(len(xtr) * args.validation_split))
    x_train, y_train = to_tensor(xtr[: len(xtr) - n_val]), torch.tensor(ytr[: len(ytr) - n_val])
    x_val, y_val = to_tensor(xtr[len(xtr) - n_val:]), torch.tensor(ytr[len(ytr) - n_val:])
    test_images = xte[: args.test_limit]
    x_test, y_test = to_tensor(test_images), torch.tensor(yte[: args.test_limit])
    model = fmnist_cnn()
    opt = torch.optim.Adam(model.parameters(), args.lr)
    config = {"preset": "fmnist-cnn", "framework": "pytorch", "torch": torch.__version__,
              "epochs": args.epochs, "batchSize": args.batch_size, "learningRate": args.lr,
              "optimizer": "adam", "validationSplit": args.validation_split,
              "trainLimit": args.limit, "seed": args.seed}
    dataset = {"name": "fashion-mnist", "source": os.path.abspath(data_dir),
               "classNames": CLASS_NAMES, "shape": [28, 28, 1], "trainCount": len(x_train),
               "validationCount": n_val, "testCount": len(x_test)}
    with convscope.init(project=args.project, config=config, name=args.name,
                        tags=["pytorch", "fmnist-cnn"], backend="pytorch-cpu",
                        model_summary=model_summary(model), dataset_info=dataset) as run:
        print("run %s (%s) at %s" % (run.id, run.name, run.url))
        for epoch in range(args.epochs):
            started = time.time()
            loss, acc = train_epoch(model, opt, x_train, y_train, args.batch_size)
            metrics = {"loss": loss, "accuracy": acc}
            if n_val:
                val_loss, val_acc, _ = evaluate(model, x_val, y_val)
                metrics.update(val_loss=val_loss, val_accuracy=val_acc)
            run.log(metrics, step=epoch + 1)  # epoch metrics at step epoch + 1, as libs/ml logs them
            print("epoch %d: %s (%.1f s)" % (epoch + 1, ", ".join(
                "%s %.4f" % kv for kv in metrics.items()), time.time() - started))
        test_loss, test_acc, probs = evaluate(model, x_test, y_test)
        run.log({"test_loss": test_loss, "test_accuracy": test_acc}, step=args.epochs)
        evaluation = run.log_predictions(y_test.tolist(), probs.tolist(), CLASS_NAMES,
                                         images=test_images[:, :, :, None], split="test")
        print("evaluation %s: accuracy %.4f on %d test images"
              % (evaluation["id"], evaluation["accuracy"], evaluation["numSamples"]))
        with tempfile.TemporaryDirectory() as tmp:
            path, fmt = export_model(model, args.out or tmp)
            run.log_artifact(path, kind="model")
            if fmt:
                model_info = run.register_model(os.path.basename(path), format=fmt)
                print("registered %s model %s" % (model_info["format"], model_info["artifactUrl"]))
    return run


if __name__ == "__main__":
    main()
