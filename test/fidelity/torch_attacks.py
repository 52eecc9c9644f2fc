"""PyTorch references for the attack fidelity suite (test/integration/fidelity/).

Written for the test from the papers, in plain PyTorch float32 — not from AdvLab's code:
  FGSM   Goodfellow et al. 2015: x + eps * sign(grad CE), projected onto the eps-ball and [0, 1].
  BIM    Kurakin et al. 2017 / PGD Madry et al. 2018 without a random start: k steps of
         alpha * sign(grad CE), each projected; a point counts as fooled if any iterate fools it.
  APGD   Croce & Hein 2020, Algorithm 1 (CE loss), from a start point the test supplies (AdvLab
         draws it from its seeded generator), step 2*eps halved at the checkpoints w_j.
  C&W    Carlini & Wagner 2017 margin: max_{j != y} z_j - z_y.

usage:
  torch_attacks.py train <data.safetensors> <out_dir>
      trains cnn-small on x_train/y_train twice: plainly (cross-entropy) and at temperature
      T = 20 (cross-entropy of logits / T, deployed at T = 1 — the logit scale of a defensively
      distilled model, whose input gradients are mostly below 1e-7); writes plain.safetensors and
      distilled.safetensors as ordinary PyTorch state_dicts (what a user hands to import-weights).
  torch_attacks.py attack <weights.safetensors> <inputs.safetensors> <mean> <std> <plan.json>
      runs the plan's attacks ([{key, attack, epsilon, steps?, stepSize?}]); prints JSON: per image, for clean and every attack, whether it is fooled and its margin.
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench", "reference"))
from models import CNNSmall, Normalized, read_safetensors, write_safetensors  # noqa: E402

torch.set_num_threads(2)


def nchw(x):
    return x.permute(0, 3, 1, 2).contiguous()


def train(data_path, out_dir):
    data, _ = read_safetensors(data_path)
    x, y = nchw(data["x_train"].float()), data["y_train"].long()
    mean, std = data["mean"].tolist(), data["std"].tolist()
    for name, temperature in (("plain", 1.0), ("distilled", 20.0)):
        torch.manual_seed(0)
        net = CNNSmall((28, 28, 1))
        model = Normalized(net, mean, std)
        opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        g = torch.Generator().manual_seed(1)
        for _epoch in range(2):
            order = torch.randperm(len(x), generator=g)
            for i in range(0, len(x), 64):
                idx = order[i : i + 64]
                loss = F.cross_entropy(model(x[idx]) / temperature, y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
        write_safetensors(os.path.join(out_dir, f"{name}.safetensors"), net.state_dict())


def margins(logits, y):
    """z_y - max_{j != y} z_j: > 0 exactly when the point is classified correctly."""
    true = logits.gather(1, y[:, None])[:, 0]
    other = logits.masked_fill(F.one_hot(y, logits.shape[1]).bool(), -math.inf).max(1).values
    return true - other


def project(x, candidate, eps):
    return torch.clamp(x + torch.clamp(candidate - x, -eps, eps), 0, 1)


def ce_grad(model, x, y):
    x = x.clone().requires_grad_(True)
    logits = model(x)
    loss = F.cross_entropy(logits, y, reduction="none")
    (g,) = torch.autograd.grad(loss.sum(), x)
    return logits.detach(), loss.detach(), g


class Tracker:
    """Worst case over iterates: fooled if any iterate fools; the smallest margin seen."""

    def __init__(self, n):
        self.fooled = torch.zeros(n, dtype=torch.bool)
        self.margin = torch.full((n,), math.inf)

    def offer(self, logits, y):
        m = margins(logits, y)
        self.fooled |= logits.argmax(1) != y
        self.margin = torch.minimum(self.margin, m)

    def result(self):
        return {"fooled": self.fooled.tolist(), "margin": self.margin.tolist()}


def fgsm(model, x, y, eps):
    _, _, g = ce_grad(model, x, y)
    adv = project(x, x + eps * torch.sign(g), eps)
    with torch.no_grad():
        logits = model(adv)
    t = Tracker(len(x))
    t.offer(logits, y)
    return t.result()


def bim(model, x, y, eps, steps, alpha):
    t = Tracker(len(x))
    current = x.clone()
    for _ in range(steps):
        logits, _, g = ce_grad(model, current, y)
        t.offer(logits, y)
        current = project(x, current + alpha * torch.sign(g), eps)
    with torch.no_grad():
        t.offer(model(current), y)
    return t.result()


def apgd_checkpoints(steps):
    p = [0.0, 0.22]
    while p[-1] < 1:
        p.append(p[-1] + max(p[-1] - p[-2] - 0.03, 0.06))
    return sorted({math.ceil(v * steps) for v in p if 0 < math.ceil(v * steps) <= steps})


def apgd_ce(model, x, y, eps, steps, start, rho=0.75, alpha=0.75):
    n = len(x)
    t = Tracker(n)
    x_adv = start.clone()
    logits, loss, grad = ce_grad(model, x_adv, y)
    t.offer(logits, y)
    x_best, g_best, loss_best = x_adv.clone(), grad.clone(), loss.clone()
    x_prev = x_adv.clone()
    eta = torch.full((n, 1, 1, 1), 2 * eps)
    increases = torch.zeros(n)
    loss_best_at_checkpoint = loss_best.clone()
    reduced_at_checkpoint = torch.zeros(n, dtype=torch.bool)
    checkpoints, last = apgd_checkpoints(steps), 0
    for k in range(steps):
        z = project(x, x_adv + eta * torch.sign(grad), eps)
        x_new = z if k == 0 else project(x, x_adv + (z - x_adv) * alpha + (x_adv - x_prev) * (1 - alpha), eps)
        logits, loss_new, grad_new = ce_grad(model, x_new, y)
        t.offer(logits, y)
        increases += (loss_new > loss).float()
        improved = loss_new > loss_best
        loss_best = torch.where(improved, loss_new, loss_best)
        x_best = torch.where(improved[:, None, None, None], x_new, x_best)
        g_best = torch.where(improved[:, None, None, None], grad_new, g_best)
        x_prev, x_adv, grad, loss = x_adv, x_new, grad_new, loss_new
        if k + 1 in checkpoints:
            height = k + 1 - last
            reduce = (increases < rho * height) | (~reduced_at_checkpoint & (loss_best_at_checkpoint >= loss_best))
            eta = torch.where(reduce[:, None, None, None], eta / 2, eta)
            x_adv = torch.where(reduce[:, None, None, None], x_best, x_adv)
            grad = torch.where(reduce[:, None, None, None], g_best, grad)
            reduced_at_checkpoint = reduce
            loss_best_at_checkpoint = loss_best.clone()
            increases.zero_()
            last = k + 1
    return t.result()


def attack(weights_path, inputs_path, mean, std, plan_path):
    state, _ = read_safetensors(weights_path)
    net = CNNSmall((28, 28, 1))
    net.load_state_dict(state)
    model = Normalized(net, [mean], [std]).eval()
    inputs, _ = read_safetensors(inputs_path)
    x, y = nchw(inputs["x"].float()), inputs["y"].long()
    with open(plan_path) as f:
        plan = json.load(f)
    out = {}
    with torch.no_grad():
        clean = model(x)
    out["clean"] = {"fooled": (clean.argmax(1) != y).tolist(), "margin": margins(clean, y).tolist()}
    _, _, g = ce_grad(model, x, y)
    out["tinyGradientShare"] = (g.abs() < 1.19e-7).float().mean().item()
    out["cwLoss"] = (-margins(clean, y)).tolist()
    for a in plan:
        if a["attack"] == "fgsm":
            out[a["key"]] = fgsm(model, x, y, a["epsilon"])
        elif a["attack"] == "bim":
            out[a["key"]] = bim(model, x, y, a["epsilon"], a["steps"], a["stepSize"])
        elif a["attack"] == "apgd-ce":
            out[a["key"]] = apgd_ce(model, x, y, a["epsilon"], a["steps"], nchw(inputs["start_" + a["key"]].float()))
        else:
            raise SystemExit(f"unknown attack {a['attack']}")
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    if sys.argv[1] == "train":
        train(sys.argv[2], sys.argv[3])
    elif sys.argv[1] == "attack":
        attack(sys.argv[2], sys.argv[3], float(sys.argv[4]), float(sys.argv[5]), sys.argv[6])
    else:
        raise SystemExit(__doc__)
