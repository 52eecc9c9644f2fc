"""PyTorch definitions of AdvLab's built-in architectures.

The state_dict key names and parameter order of these modules are the ones AdvLab imports and
exports (src-main/lab/models/README.md). ResNet18 is the CIFAR variant of kuangliu/pytorch-cifar
(3x3 stem conv, stride 1, no max-pool, BasicBlock [2, 2, 2, 2]); written here from the paper's
description (He et al. 2016), with a width multiplier.

Inputs are NCHW in [0, 1]. Normalisation ((x - mean) / std per channel) is *not* part of these
modules (so the keys match the common definitions); `Normalized` wraps a model for evaluation.
"""
import json
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


def scaled(channels, width):
    return max(1, int(round(channels * width)))


class MLP(nn.Module):
    def __init__(self, input_shape, num_classes=10, width=1.0):
        super().__init__()
        h, w, c = input_shape
        h1, h2 = scaled(512, width), scaled(256, width)
        self.fc1 = nn.Linear(h * w * c, h1)
        self.fc2 = nn.Linear(h1, h2)
        self.fc3 = nn.Linear(h2, num_classes)

    def forward(self, x):
        x = x.flatten(1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class CNNSmall(nn.Module):
    def __init__(self, input_shape, num_classes=10, width=1.0):
        super().__init__()
        h, w, c = input_shape
        c1, c2, hidden = scaled(32, width), scaled(64, width), scaled(128, width)
        self.conv1 = nn.Conv2d(c, c1, 3, padding=1)
        self.conv2 = nn.Conv2d(c1, c2, 3, padding=1)
        self.fc1 = nn.Linear(c2 * (h // 2 // 2) * (w // 2 // 2), hidden)
        self.fc2 = nn.Linear(hidden, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.flatten(1)
        return self.fc2(F.relu(self.fc1(x)))


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, kernel_size=1, stride=stride, bias=False),
                nn.BatchNorm2d(planes),
            )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out = out + self.shortcut(x)
        return F.relu(out)


class ResNet18(nn.Module):
    def __init__(self, input_shape, num_classes=10, width=1.0):
        super().__init__()
        c = input_shape[2]
        stem = scaled(64, width)
        self.in_planes = stem
        self.conv1 = nn.Conv2d(c, stem, kernel_size=3, stride=1, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(stem)
        self.layer1 = self._make_layer(scaled(64, width), 1)
        self.layer2 = self._make_layer(scaled(128, width), 2)
        self.layer3 = self._make_layer(scaled(256, width), 2)
        self.layer4 = self._make_layer(scaled(512, width), 2)
        self.linear = nn.Linear(self.in_planes, num_classes)

    def _make_layer(self, planes, stride):
        layers = []
        for s in [stride, 1]:
            layers.append(BasicBlock(self.in_planes, planes, s))
            self.in_planes = planes
        return nn.Sequential(*layers)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.layer4(self.layer3(self.layer2(self.layer1(out))))
        # Global average pool: the same as F.avg_pool2d(out, 4) on the 4x4 map of a 32x32 input.
        out = F.adaptive_avg_pool2d(out, 1).flatten(1)
        return self.linear(out)


ARCHITECTURES = {"mlp": MLP, "cnn-small": CNNSmall, "resnet18": ResNet18}


class Normalized(nn.Module):
    """(x - mean) / std per channel, then the model: what AdvLab's models compute."""

    def __init__(self, model, mean, std):
        super().__init__()
        self.model = model
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).view(1, -1, 1, 1))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).view(1, -1, 1, 1))

    def forward(self, x):
        return self.model((x - self.mean) / self.std)


def build(spec):
    """A module from an AdvLab model spec (dict with arch, inputShape, numClasses, width)."""
    cls = ARCHITECTURES[spec["arch"]]
    return cls(spec["inputShape"], spec["numClasses"], spec.get("width", 1.0))


_DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8}


def read_safetensors(path):
    """(tensors, metadata) of a safetensors file, without the safetensors package."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, v in header.items():
        b, e = v["data_offsets"]
        t = torch.frombuffer(bytearray(data[base + b : base + e]), dtype=_DTYPES[v["dtype"]])
        tensors[name] = t.reshape(v["shape"]).clone()
    return tensors, meta


def write_safetensors(path, tensors):
    """Writes float32 tensors as a safetensors file, without the safetensors package."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)  # the data starts 8-byte aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def load_advlab(path):
    """Rebuilds a Normalized model from a file written by AdvLab's exportStateDict."""
    tensors, meta = read_safetensors(path)
    spec = json.loads(meta["advlab.spec"])
    net = build(spec)
    net.load_state_dict(tensors, strict=True)
    return Normalized(net, spec["mean"], spec["std"]).eval(), spec
