"""Peer for the cifar3-cnn preset: the same architecture in PyTorch (Debian python3-torch, 2 threads)
on synthetic 32x32x3 images of 3 classes (throughput only; no CIFAR download is possible offline).
conv16 3x3 same relu, maxpool 2, conv32 3x3 same relu, maxpool 2, flatten, dense 64 relu, dense 3;
Adam 1e-3, batch 64. Prints one JSON line. Usage: torch_cifar3.py [epochs] [train_size]"""
import json, sys, time, torch, torch.nn as nn

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 2
n = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
torch.manual_seed(0); torch.set_num_threads(2)
g = torch.Generator().manual_seed(1)
xtr = torch.randint(0, 256, (n, 3, 32, 32), generator=g).float() / 255.
ytr = torch.randint(0, 3, (n,), generator=g)
xte = torch.randint(0, 256, (5000, 3, 32, 32), generator=g).float() / 255.
m = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(),
                  nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8 * 8 * 32, 64), nn.ReLU(), nn.Linear(64, 3))
opt = torch.optim.Adam(m.parameters(), 1e-3); B = 64; rates = []
for ep in range(epochs):
    m.train(); perm = torch.randperm(n); t = time.time()
    for i in range(0, n, B):
        j = perm[i:i + B]; opt.zero_grad(); nn.functional.cross_entropy(m(xtr[j]), ytr[j]).backward(); opt.step()
    rates.append(n / (time.time() - t))
m.eval(); t = time.time()
with torch.no_grad(): pred = torch.cat([m(xte[i:i + 256]).argmax(1) for i in range(0, len(xte), 256)])
print(json.dumps({'train_img_per_s': max(rates), 'predict_img_per_s': len(xte) / (time.time() - t), 'epochs': epochs, 'train_size': n}))
