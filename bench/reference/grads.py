"""Loss, parameter gradients and updated BatchNorm statistics of one training-mode step of an
AdvLab-exported model (used by the tests).

usage: grads.py <weights.safetensors> <batch.safetensors: x NHWC float32, y int64> <out.safetensors>
"""
import json
import os
import struct
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import load_advlab, read_safetensors  # noqa: E402


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header).encode()
    h += b" " * ((8 - (8 + len(h)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


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
