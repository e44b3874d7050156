"""PyTorch peer of bench/gpu.bench.ts: fmnist-cnn or monkey-eye (the presets' architectures) on
CUDA when PyTorch sees a GPU. Synthetic images (throughput does not depend on pixel values),
Adam 1e-3, the preset's batch size. Prints one JSON line: training and prediction images/s, or
{"cuda": false, "why": ...} when there is no CUDA device (or --cpu to measure the CPU anyway).

Usage: torch_gpu.py NETWORK TRAIN_BATCHES PREDICT_IMAGES [--cpu]
  NETWORK: fmnist-cnn | monkey-eye
Setup: a CUDA build of PyTorch (pip's torch, or Debian's python3-torch-cuda); Debian's
python3-torch is CPU-only and reports "no CUDA"."""
import json
import sys
import time

try:
    import torch
    import torch.nn as nn
except ImportError as e:  # the bench records why instead of failing
    print(json.dumps({'cuda': False, 'why': f'PyTorch not importable: {e}'}))
    sys.exit(0)

NETS = {
    # name: (input channels, side, conv widths, dense units, dropout, batch)
    'fmnist-cnn': (1, 28, [32, 64], 128, 0.3, 64),
    'monkey-eye': (3, 128, [32, 32, 64, 64, 128, 128], 256, 0.5, 32),
}


def build(channels, side, widths, units, dropout):
    """Conv 3x3 'same' + relu + maxpool 2 per width, then dense, dropout and 10 classes."""
    layers, c, s = [], channels, side
    for w in widths:
        layers += [nn.Conv2d(c, w, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
        c, s = w, s // 2
    layers += [nn.Flatten(), nn.Linear(c * s * s, units), nn.ReLU(), nn.Dropout(dropout), nn.Linear(units, 10)]
    return nn.Sequential(*layers)


def main():
    name, train_batches, predict_images = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    use_cpu = '--cpu' in sys.argv[4:]
    if not use_cpu and not torch.cuda.is_available():
        print(json.dumps({'cuda': False, 'why': f'no CUDA device visible to PyTorch {torch.__version__}'
                          f' (built with CUDA {torch.version.cuda})'}))
        return
    dev = torch.device('cpu' if use_cpu else 'cuda')
    channels, side, widths, units, dropout, batch = NETS[name]
    torch.manual_seed(0)
    m = build(channels, side, widths, units, dropout).to(dev)
    opt = torch.optim.Adam(m.parameters(), 1e-3)
    x = torch.rand(batch, channels, side, side, device=dev)
    y = torch.randint(0, 10, (batch,), device=dev)

    def sync():
        if dev.type == 'cuda':
            torch.cuda.synchronize()

    def step():
        opt.zero_grad()
        nn.functional.cross_entropy(m(x), y).backward()
        opt.step()

    m.train()
    for _ in range(3):  # cuDNN autotuning, allocator warm-up
        step()
    sync()
    t = time.time()
    for _ in range(train_batches):
        step()
    sync()
    train = train_batches * batch / (time.time() - t)
    m.eval()
    px = torch.rand(256 if name == 'fmnist-cnn' else 32, channels, side, side, device=dev)
    with torch.no_grad():
        m(px)
        sync()
        t = time.time()
        done = 0
        while done < predict_images:
            m(px).argmax(1).cpu()  # to the host, like TF.js's data()
            done += px.shape[0]
        sync()
    predict = done / (time.time() - t)
    print(json.dumps({
        'cuda': dev.type == 'cuda', 'device': torch.cuda.get_device_name(0) if dev.type == 'cuda' else 'cpu',
        'torch': torch.__version__, 'cudaVersion': torch.version.cuda,
        'cudnnVersion': torch.backends.cudnn.version() if dev.type == 'cuda' else None,
        'batch': batch, 'trainImagesPerSec': round(train, 1), 'predictImagesPerSec': round(predict, 1),
    }))


main()
