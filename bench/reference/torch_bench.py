"""PyTorch side of `npm run bench -- --vs-torch`: the same models, batches and protocol.

usage: torch_bench.py '<json: {"threads": n, "budget_ms": ms, "cells": [...]}>'  → JSON on stdout
"""
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import build  # noqa: E402

EPS = 8 / 255
STEP = 2 / 255


def median_seconds(fn, budget_ms, min_reps=3, max_reps=20, warm=False):
    if not warm:
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < max_reps and (len(times) < min_reps or (time.perf_counter() - start) * 1000 < budget_ms):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def input_grad(model, x, y):
    x = x.detach().requires_grad_(True)
    loss = F.cross_entropy(model(x), y)
    (g,) = torch.autograd.grad(loss, [x])
    return g


def bench_cell(cell, budget_ms):
    torch.manual_seed(1)
    h, w, c = cell["inputShape"]
    spec = {"arch": cell["arch"], "inputShape": cell["inputShape"], "numClasses": 10, "width": cell["width"]}
    model = build(spec)
    b = cell["batch"]
    x = torch.rand(b, c, h, w)
    y = torch.arange(b) % 10
    out = {}
    model.eval()
    for p in model.parameters():
        p.requires_grad_(False)

    def forward():
        with torch.no_grad():
            model(x)

    def fgsm():
        g = input_grad(model, x, y)
        return (x + EPS * g.sign()).clamp(0, 1)

    def pgd():
        adv = (x + torch.empty_like(x).uniform_(-EPS, EPS)).clamp(0, 1)
        for _ in range(10):
            g = input_grad(model, adv, y)
            adv = torch.min(torch.max(adv + STEP * g.sign(), x - EPS), x + EPS).clamp(0, 1)
        return adv

    # A cell may ask for some workloads only (e.g. training at the seed's batch size).
    wanted = set(cell.get("workloads", ["forward", "fgsm", "pgd10", "train"]))
    if "forward" in wanted:
        out["forward"] = b / median_seconds(forward, budget_ms)
    if "fgsm" in wanted:
        out["fgsm"] = b / median_seconds(fgsm, budget_ms)
    if "pgd10" in wanted:
        out["pgd10"] = b / median_seconds(pgd, budget_ms, 2, 5, warm=("fgsm" in wanted))
    if "train" not in wanted:
        return out
    for p in model.parameters():
        p.requires_grad_(True)
    model.train()
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def train():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        loss.item()

    out["train"] = b / median_seconds(train, budget_ms)
    return out


def main():
    cfg = json.loads(sys.argv[1])
    torch.set_num_threads(cfg["threads"])
    results = [bench_cell(c, cfg["budget_ms"]) for c in cfg["cells"]]
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
