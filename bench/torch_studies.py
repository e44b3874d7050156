"""Peer for the studies' networks in `npm run bench -- --only studies` (bench/studies.bench.ts):
the same five architectures as the TF.js side, in PyTorch (Debian python3-torch), on synthetic
images (throughput only: the pixel values do not change the work).

  monkey-eye       128x128x3, 6 x (conv3x3 same relu + maxpool 2) 32-32-64-64-128-128,
                   dense 256 relu, dropout 0.5, dense 10; Adam 1e-3, batch 32
  cats-dogs-small  150x150x3, 4 x (conv3x3 valid relu + maxpool 2) 32-64-128-128, dense 512 relu,
                   dense 1 sigmoid; RMSprop 1e-4 (rho 0.9 as Keras), binary cross-entropy, batch 20
  xception-style   128x128x3, libs/ml/src/models/xception-style.ts: stem conv3x3/2 32 + BN + relu,
                   conv3x3 64 + BN + relu, entry blocks 128/256/512 (separable convs, BN, maxpool
                   3/2, conv1x1/2 residual), 2 middle blocks, relu, global average pool, dense 10;
                   Adam 1e-4, batch 32
  vnn              32x32x3, 2 x (conv3x3 same relu + maxpool 2) 32-64, dense 128 relu, dense 64
                   (mean | log-variance), reparameterised 32-d sample (also at prediction),
                   KL * 1e-3 in the loss, dense 10; Adam 1e-3, batch 64
  mc-dropout-cnn   32x32x3, 2 x (conv3x3 same relu + maxpool 2 + dropout 0.5) 32-64, dense 128
                   relu, dropout 0.5, dense 10, dropout kept on at prediction, L2 4.63e-5 on the
                   conv/dense kernels (tau-derived, as the preset); Adam 1e-3, batch 64

Keras defaults are matched where they differ from PyTorch's (Adam/RMSprop epsilon 1e-7,
BatchNorm momentum 0.99 = PyTorch 0.01, epsilon 1e-3). NCHW, PyTorch's native layout.
Training: `warmup` steps, then `train_batches` timed steps on two alternating synthetic batches.
Prediction: `predict_images` images in batches of `predict_batch`, eval mode, no_grad.
Prints one JSON line: train_img_per_s, predict_img_per_s, params (trainable), peak_rss_mb
(ru_maxrss of this process), threads.

Usage: torch_studies.py NETWORK THREADS [warmup] [train_batches] [predict_images] [predict_batch]
Smallest run (checks the script, numbers meaningless): torch_studies.py vnn 2 1 1 64 64
"""
import json
import resource
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

net = sys.argv[1]
threads = int(sys.argv[2])
warmup = int(sys.argv[3]) if len(sys.argv) > 3 else 2
train_batches = int(sys.argv[4]) if len(sys.argv) > 4 else 8
predict_images = int(sys.argv[5]) if len(sys.argv) > 5 else 256
predict_batch = int(sys.argv[6]) if len(sys.argv) > 6 else 64

torch.manual_seed(0)
torch.set_num_threads(threads)


def conv_blocks(cin, filters, padding, dropout=None):
    layers = []
    for f in filters:
        layers += [nn.Conv2d(cin, f, 3, padding=padding), nn.ReLU(), nn.MaxPool2d(2)]
        if dropout is not None:
            layers.append(McDropout(dropout))
        cin = f
    return layers


class McDropout(nn.Module):
    """Dropout that stays on at prediction (MC dropout), as the preset's mcDropout layer."""

    def __init__(self, p):
        super().__init__()
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, training=True)


def bn(c):
    return nn.BatchNorm2d(c, eps=1e-3, momentum=0.01)


class SepConv(nn.Module):
    """Keras SeparableConv2D(f, 3, same, no bias): depthwise 3x3 then pointwise 1x1."""

    def __init__(self, cin, cout):
        super().__init__()
        self.dw = nn.Conv2d(cin, cin, 3, padding=1, groups=cin, bias=False)
        self.pw = nn.Conv2d(cin, cout, 1, bias=False)

    def forward(self, x):
        return self.pw(self.dw(x))


class EntryBlock(nn.Module):
    def __init__(self, cin, f, first):
        super().__init__()
        self.first = first
        self.res = nn.Sequential(nn.Conv2d(cin, f, 1, stride=2, bias=False), bn(f))
        self.s1, self.b1 = SepConv(cin, f), bn(f)
        self.s2, self.b2 = SepConv(f, f), bn(f)

    def forward(self, x):
        y = x if self.first else F.relu(x)
        y = F.relu(self.b1(self.s1(y)))
        y = self.b2(self.s2(y))
        # Keras' MaxPooling2D(3, 2, 'same') on even sizes pads one pixel at the end only.
        y = F.max_pool2d(F.pad(y, (0, 1, 0, 1), value=float('-inf')), 3, 2)
        return y + self.res(x)


class MiddleBlock(nn.Module):
    def __init__(self, f):
        super().__init__()
        self.units = nn.ModuleList([nn.Sequential(nn.ReLU(), SepConv(f, f), bn(f)) for _ in range(3)])

    def forward(self, x):
        y = x
        for u in self.units:
            y = u(y)
        return y + x


class Xception(nn.Module):
    def __init__(self, entry=(128, 256, 512), middle=2, classes=10):
        super().__init__()
        # TF 'same' with stride 2 on an even size pads (0, 1): done explicitly in forward.
        self.c1, self.b1 = nn.Conv2d(3, 32, 3, stride=2, bias=False), bn(32)
        self.c2, self.b2 = nn.Conv2d(32, 64, 3, padding=1, bias=False), bn(64)
        blocks, cin = [], 64
        for i, f in enumerate(entry):
            blocks.append(EntryBlock(cin, f, i == 0))
            cin = f
        blocks += [MiddleBlock(cin) for _ in range(middle)]
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = F.relu(self.b1(self.c1(F.pad(x, (0, 1, 0, 1)))))
        x = F.relu(self.b2(self.c2(x)))
        x = F.relu(self.blocks(x))
        return self.fc(x.mean((2, 3)))


class Vnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(*conv_blocks(3, [32, 64], 1), nn.Flatten(), nn.Linear(8 * 8 * 64, 128), nn.ReLU())
        self.z_params = nn.Linear(128, 64)
        self.out = nn.Linear(32, 10)
        self.kl = torch.zeros(())

    def forward(self, x):
        mean, log_var = self.z_params(self.enc(x)).chunk(2, 1)
        if self.training:
            self.kl = 1e-3 * (-0.5 * (1 + log_var - mean ** 2 - log_var.exp()).sum(1)).mean()
        z = mean + (0.5 * log_var).exp() * torch.randn_like(mean)
        return self.out(z)


def monkey_eye():
    return nn.Sequential(*conv_blocks(3, [32, 32, 64, 64, 128, 128], 1), nn.Flatten(),
                         nn.Linear(2 * 2 * 128, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))


def cats_dogs():
    return nn.Sequential(*conv_blocks(3, [32, 64, 128, 128], 0), nn.Flatten(),
                         nn.Linear(7 * 7 * 128, 512), nn.ReLU(), nn.Linear(512, 1))


def mc_dropout():
    return nn.Sequential(*conv_blocks(3, [32, 64], 1, dropout=0.5), nn.Flatten(),
                         nn.Linear(8 * 8 * 64, 128), nn.ReLU(), McDropout(0.5), nn.Linear(128, 10))


# lambda = (1 - 0.5) * 1^2 / (2 * 54000 * 0.1): the mc-dropout-cnn preset's tau-derived decay.
MC_L2 = 0.5 / (2 * 54000 * 0.1)
SPECS = {
    'monkey-eye': (monkey_eye, (3, 128, 128), 32, 10, 'adam', 1e-3),
    'cats-dogs-small': (cats_dogs, (3, 150, 150), 20, 1, 'rmsprop', 1e-4),
    'xception-style': (Xception, (3, 128, 128), 32, 10, 'adam', 1e-4),
    'vnn': (Vnn, (3, 32, 32), 64, 10, 'adam', 1e-3),
    'mc-dropout-cnn': (mc_dropout, (3, 32, 32), 64, 10, 'adam', 1e-3),
}
build, shape, B, classes, opt_name, lr = SPECS[net]
m = build()
params = sum(p.numel() for p in m.parameters())
if opt_name == 'adam':
    opt = torch.optim.Adam(m.parameters(), lr, eps=1e-7)
else:
    opt = torch.optim.RMSprop(m.parameters(), lr, alpha=0.9, eps=1e-7)
# Kernels (not biases) of the conv/dense layers carry the L2 penalty, as Keras' kernelRegularizer.
kernels = [mod.weight for mod in m.modules() if isinstance(mod, (nn.Conv2d, nn.Linear))]

g = torch.Generator().manual_seed(1)
xs = [torch.rand((B, *shape), generator=g) for _ in range(2)]
if classes == 1:
    ys = [torch.randint(0, 2, (B, 1), generator=g).float() for _ in range(2)]
else:
    ys = [torch.randint(0, classes, (B,), generator=g) for _ in range(2)]


def step(i):
    x, y = xs[i % 2], ys[i % 2]
    opt.zero_grad()
    out = m(x)
    if classes == 1:
        loss = F.binary_cross_entropy_with_logits(out, y)
    else:
        loss = F.cross_entropy(out, y)
    if net == 'vnn':
        loss = loss + m.kl
    if net == 'mc-dropout-cnn':
        loss = loss + MC_L2 * sum((k ** 2).sum() for k in kernels)
    loss.backward()
    opt.step()


m.train()
for i in range(warmup):
    step(i)
t = time.perf_counter()
for i in range(train_batches):
    step(i)
train_rate = train_batches * B / (time.perf_counter() - t)

m.eval()
px = torch.rand((predict_batch, *shape), generator=g)
with torch.no_grad():
    m(px)  # warm-up
    t = time.perf_counter()
    done = 0
    while done < predict_images:
        n = min(predict_batch, predict_images - done)
        m(px[:n]).argmax(1)
        done += n
    predict_rate = predict_images / (time.perf_counter() - t)

print(json.dumps({
    'network': net, 'train_img_per_s': train_rate, 'predict_img_per_s': predict_rate,
    'params': params, 'peak_rss_mb': round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    'threads': threads, 'batch_size': B, 'train_batches': train_batches, 'predict_images': predict_images,
    'predict_batch': predict_batch, 'synthetic_data': True,
}))
