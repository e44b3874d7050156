"""Peer of bench/mc-passes.bench.ts: T stochastic passes over N synthetic 32x32x3 images of the
mc-dropout-cnn and vnn presets, in PyTorch (Debian python3-torch), under torch.no_grad().

mc-dropout-cnn: conv32 3x3 same relu, maxpool 2, dropout 0.5, conv64 3x3 same relu, maxpool 2,
dropout 0.5, flatten, dense 128 relu, dropout 0.5, dense 10 softmax; dropout stays on at eval
(F.dropout(training=True)). vnn: the same convs without dropout, dense 128 relu, dense 64 (latent
mean and log-variance), z = mean + exp(logvar / 2) * eps (reparameterised, fresh eps per row),
dense 10 softmax. Untrained random weights: throughput only.

Batching: the same as convscope's mcPredict (stacked passes, not a per-pass loop): blocks of at
most R samples, each forward is k = R // b copies of the block stacked along the batch
dimension, so N = 1,000 with R = 1,024 is one 1,000-row forward per pass.
Summary: per sample, mean and std over passes, predictive and expected entropy, mutual
information and the 0/25/50/75/100 percentiles (torch.quantile, linear), as mcPredict does.

Usage: torch_mc_passes.py N T [threads] [maxRows] [models, comma-separated]
Prints one JSON line: {model: {forward_s, summary_s, passes_per_s, passes_per_s_with_summary}}.
"""
import json, sys, time, torch, torch.nn as nn, torch.nn.functional as F

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
T = int(sys.argv[2]) if len(sys.argv) > 2 else 100
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
max_rows = int(sys.argv[4]) if len(sys.argv) > 4 else 1024
models = sys.argv[5].split(',') if len(sys.argv) > 5 else ['mc-dropout-cnn', 'vnn']
torch.manual_seed(0); torch.set_num_threads(threads)


class McDropoutCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2 = nn.Conv2d(3, 32, 3, padding=1), nn.Conv2d(32, 64, 3, padding=1)
        self.fc1, self.out = nn.Linear(64 * 8 * 8, 128), nn.Linear(128, 10)

    def forward(self, x):
        x = F.dropout(F.max_pool2d(F.relu(self.c1(x)), 2), 0.5, training=True)
        x = F.dropout(F.max_pool2d(F.relu(self.c2(x)), 2), 0.5, training=True)
        x = F.dropout(F.relu(self.fc1(x.flatten(1))), 0.5, training=True)
        return F.softmax(self.out(x), 1)


class Vnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1, self.c2 = nn.Conv2d(3, 32, 3, padding=1), nn.Conv2d(32, 64, 3, padding=1)
        self.fc1, self.z, self.out = nn.Linear(64 * 8 * 8, 128), nn.Linear(128, 64), nn.Linear(32, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        mean, logvar = self.z(F.relu(self.fc1(x.flatten(1)))).chunk(2, 1)
        return F.softmax(self.out(mean + torch.exp(0.5 * logvar) * torch.randn_like(mean)), 1)


def summarize(p):
    """p: [b, T, C] probabilities of a block -> the statistics mcPredict reports."""
    mean = p.mean(1)
    ent = lambda q: -(q * torch.log(q.clamp_min(1e-45))).sum(-1)
    pred, expected = ent(mean), ent(p).mean(1)
    return mean, p.std(1, unbiased=False), pred, expected, pred - expected, torch.quantile(
        p, torch.tensor([0, 0.25, 0.5, 0.75, 1.0]), dim=1)


def run(model, x):
    fwd = summ = 0.0
    for start in range(0, N, max_rows):
        b = min(max_rows, N - start)
        per = max(1, max_rows // b)
        block = x[start:start + b]
        t0 = time.perf_counter(); outs = []
        for p0 in range(0, T, per):
            k = min(per, T - p0)
            outs.append(model(block.repeat(k, 1, 1, 1) if k > 1 else block).view(k, b, -1))
        probs = torch.cat(outs).transpose(0, 1)  # [b, T, C]
        t1 = time.perf_counter(); summarize(probs); t2 = time.perf_counter()
        fwd += t1 - t0; summ += t2 - t1
    return fwd, summ


x = torch.rand(N, 3, 32, 32, generator=torch.Generator().manual_seed(1))
out = {'N': N, 'T': T, 'threads': threads, 'maxRows': max_rows, 'torch': torch.__version__}
with torch.no_grad():
    for name in models:
        model = {'mc-dropout-cnn': McDropoutCnn, 'vnn': Vnn}[name]().eval()
        model(x[:8])  # warm-up
        fwd, summ = run(model, x)
        out[name] = {'forward_s': fwd, 'summary_s': summ, 'passes_per_s': T / fwd,
                     'passes_per_s_with_summary': T / (fwd + summ)}
print(json.dumps(out))
