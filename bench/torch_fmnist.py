"""Peer for the fmnist-cnn preset: the same architecture in PyTorch (Debian python3-torch, 2 threads)
trained on the same Fashion-MNIST files as the bench's TF.js side.
conv32 3x3 same relu, maxpool 2, conv64 3x3 same relu, maxpool 2, flatten, dense 128 relu,
dropout 0.3, dense 10; Adam 1e-3, batch 64. Training throughput is the best epoch's images/s;
prediction runs the test split in batches of 256. Prints one JSON line.

Usage: torch_fmnist.py [epochs] [train_limit] [data_dir]
  data_dir: a folder with the four idx .gz files; default /usr/share/datasets/fashion-mnist
  (Debian dataset-fashion-mnist) when present, else the subset committed in the repository
  (libs/ml/data/fashion-mnist-subset), which is what `npm run bench` uses then too.
Setup: apt-get install -y python3-torch [dataset-fashion-mnist]
Smallest run (checks the script, numbers meaningless): torch_fmnist.py 1 256"""
import gzip, json, os, sys, time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
SYSTEM = '/usr/share/datasets/fashion-mnist'
SUBSET = os.path.join(HERE, '..', 'libs', 'ml', 'data', 'fashion-mnist-subset')

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 2
limit = int(sys.argv[2]) if len(sys.argv) > 2 else 60000
data = sys.argv[3] if len(sys.argv) > 3 else (SYSTEM if os.path.isdir(SYSTEM) else SUBSET)


def idx(name, offset):
    """The bytes of an idx file after its header (16 bytes for images, 8 for labels)."""
    with gzip.open(os.path.join(data, name)) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


torch.manual_seed(0)
torch.set_num_threads(2)
xtr = torch.tensor(idx('train-images-idx3-ubyte.gz', 16).reshape(-1, 1, 28, 28)[:limit] / 255., dtype=torch.float32)
ytr = torch.tensor(idx('train-labels-idx1-ubyte.gz', 8)[:limit].astype(np.int64))
xte = torch.tensor(idx('t10k-images-idx3-ubyte.gz', 16).reshape(-1, 1, 28, 28) / 255., dtype=torch.float32)
yte = torch.tensor(idx('t10k-labels-idx1-ubyte.gz', 8).astype(np.int64))
m = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
                  nn.MaxPool2d(2), nn.Flatten(), nn.Linear(7 * 7 * 64, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))
opt = torch.optim.Adam(m.parameters(), 1e-3)
B = 64
rates = []
for ep in range(epochs):
    m.train()
    perm = torch.randperm(len(xtr))
    t = time.time()
    for i in range(0, len(xtr), B):
        j = perm[i:i + B]
        opt.zero_grad()
        nn.functional.cross_entropy(m(xtr[j]), ytr[j]).backward()
        opt.step()
    rates.append(len(xtr) / (time.time() - t))
m.eval()
t = time.time()
with torch.no_grad():
    pred = torch.cat([m(xte[i:i + 256]).argmax(1) for i in range(0, len(xte), 256)])
print(json.dumps({'train_img_per_s': max(rates), 'predict_img_per_s': len(xte) / (time.time() - t),
                  'test_accuracy': (pred == yte).float().mean().item(), 'epochs': epochs,
                  'train_size': len(xtr), 'data': os.path.abspath(data)}))
