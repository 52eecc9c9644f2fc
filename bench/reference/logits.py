"""Prints the logits of an AdvLab-exported model on given inputs, as JSON (used by the tests).

usage: logits.py <weights.safetensors> <inputs.safetensors>   (inputs: tensor "x", NHWC float32)
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from models import load_advlab, read_safetensors  # noqa: E402

torch.set_num_threads(1)
model, spec = load_advlab(sys.argv[1])
x = read_safetensors(sys.argv[2])[0]["x"].permute(0, 3, 1, 2).contiguous()
with torch.no_grad():
    logits = model(x.float())
json.dump({"shape": list(logits.shape), "values": logits.flatten().tolist()}, sys.stdout)
