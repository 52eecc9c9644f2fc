"""Loss, parameter gradients and updated BatchNorm statistics of one training-mode step of an
AdvLab-exported model (used by the tests).

usage: grads.py <weights.safetensors> <batch.safetensors: x NHWC float32, y int64> <out.safetensors>
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import load_advlab, read_safetensors, write_safetensors  # noqa: E402


torch.set_num_threads(1)
model, spec = load_advlab(sys.argv[1])
batch = read_safetensors(sys.argv[2])[0]
x = batch["x"].permute(0, 3, 1, 2).contiguous().float()
y = batch["y"].long()
model.train()
loss = F.cross_entropy(model(x), y)
loss.backward()
out = {"loss": loss.detach().reshape(1)}
for name, p in model.model.named_parameters():
    out["grad." + name] = p.grad
for name, b in model.model.named_buffers():
    if b.dtype.is_floating_point:
        out["buffer." + name] = b
write_safetensors(sys.argv[3], out)
