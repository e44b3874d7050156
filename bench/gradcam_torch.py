"""PyTorch peer of bench/gradcam.bench.ts: batched Grad-CAM on the fmnist-cnn architecture.

Same computation as libs/ml/src/explain/cam.ts: one forward and one backward pass per batch
(the sum of each sample's predicted-class logit), gradients w.r.t. the pool2 output averaged
over space, weighted channel sum, ReLU, per-sample min-max, bilinear resize to 28x28 (half-pixel
centres), copied out as numpy. CPU, 2 threads (as ../shared/reference/torch_fmnist.py).
Usage: gradcam_torch.py [images] [batch]. Prints one JSON line: images_per_s.
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
batch = int(sys.argv[2]) if len(sys.argv) > 2 else 64
torch.manual_seed(0)
torch.set_num_threads(2)

features = nn.Sequential(
    nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
)
head = nn.Sequential(nn.Flatten(), nn.Linear(7 * 7 * 64, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 10))
features.eval()
head.eval()
x_all = torch.rand(n, 1, 28, 28)


def gradcam(x):
    a = features(x)  # pool2 output [b, 64, 7, 7]
    logits = head(a)
    cls = logits.argmax(1)
    score = logits.gather(1, cls[:, None]).sum()
    (g,) = torch.autograd.grad(score, [a])
    with torch.no_grad():
        cam = F.relu((g.mean(dim=(2, 3), keepdim=True) * a).sum(1))
        lo = cam.amin(dim=(1, 2), keepdim=True)
        rng = cam.amax(dim=(1, 2), keepdim=True) - lo
        norm = torch.where(rng > 0, (cam - lo) / torch.where(rng > 0, rng, torch.ones_like(rng)), torch.zeros_like(cam))
        heat = F.interpolate(norm[:, None], size=(28, 28), mode="bilinear", align_corners=False)[:, 0]
    return cam.numpy(), heat.numpy(), cls.numpy()


for i in range(0, min(n, 3 * batch), batch):  # warm-up
    gradcam(x_all[i:i + batch])
t = time.time()
for i in range(0, n, batch):
    gradcam(x_all[i:i + batch])
elapsed = time.time() - t
print(json.dumps({"images_per_s": n / elapsed, "images": n, "batch": batch, "threads": torch.get_num_threads(), "torch": torch.__version__}))
