#!/usr/bin/python3
"""Writes tests/data/weights/lora/longlive_lora.pt: a LoRA checkpoint laid out as LongLive's
lora.pt (a torch.save zip holding {"generator_lora": PEFT state dict, "critic_lora": ...}) for the
test DiT of tests/inference/lora_test.cpp (dim 32, 2 layers), bfloat16, rank 4. Run once; the file
is committed.

torch is not needed: the torch.save format (zip of data.pkl + data/<key> storages, protocol 2
pickle calling torch._utils._rebuild_tensor_v2) is written with the standard library, the values
are a fixed formula, and bfloat16 is float32's top 16 bits (round to nearest even).

    python3 scripts/make_lora_fixtures.py
"""

import collections
import io
import math
import os
import pickle
import struct
import sys
import types
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "data", "weights", "lora", "longlive_lora.pt")

# Stand-ins for the torch names the pickle refers to (pickle checks they are importable).
torch = types.ModuleType("torch")
utils = types.ModuleType("torch._utils")


class BFloat16Storage:
    pass


BFloat16Storage.__module__ = "torch"
torch.BFloat16Storage = BFloat16Storage


def _rebuild_tensor_v2(*args):
    raise RuntimeError("never called")


_rebuild_tensor_v2.__module__ = "torch._utils"
utils._rebuild_tensor_v2 = _rebuild_tensor_v2
torch._utils = utils
sys.modules["torch"] = torch
sys.modules["torch._utils"] = utils


def bf16(x):
    bits = struct.unpack("<I", struct.pack("<f", x))[0]
    bits += 0x7FFF + ((bits >> 16) & 1)
    return struct.pack("<H", (bits >> 16) & 0xFFFF)


class Storage:
    def __init__(self, key, values):
        self.key = key
        self.values = values


class Tensor:
    def __init__(self, storage, shape):
        self.storage = storage
        self.shape = shape

    def __reduce__(self):
        stride = []
        s = 1
        for d in reversed(self.shape):
            stride.insert(0, s)
            s *= d
        return (_rebuild_tensor_v2,
                (self.storage, 0, tuple(self.shape), tuple(stride), False, collections.OrderedDict()))


class Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", BFloat16Storage, obj.key, "cpu", len(obj.values))
        return None


def main():
    storages = []

    def tensor(shape, seed):
        n = math.prod(shape)
        values = [math.sin(0.37 * (i + 1) + seed) * 0.5 for i in range(n)]
        s = Storage(str(len(storages)), values)
        storages.append(s)
        return Tensor(s, shape)

    layers = {"blocks.0.self_attn.q": (32, 32), "blocks.1.cross_attn.v": (32, 32),
              "blocks.1.ffn.0": (64, 32), "blocks.0.ffn.2": (32, 64)}
    generator = collections.OrderedDict()
    critic = collections.OrderedDict()
    for i, (module, (out, inp)) in enumerate(layers.items()):
        generator["base_model.model." + module + ".lora_A.weight"] = tensor((4, inp), 10 * i)
        generator["base_model.model." + module + ".lora_B.weight"] = tensor((out, 4), 10 * i + 5)
        # The critic's adapter is larger (more layers) than the generator's: the generator's must
        # be taken by name, not by size.
        for j in range(2):
            critic["base_model.model.blocks.%d.self_attn.k.lora_A.weight" % (i * 2 + j)] = \
                tensor((4, 32), 100 + i)
            critic["base_model.model.blocks.%d.self_attn.k.lora_B.weight" % (i * 2 + j)] = \
                tensor((32, 4), 200 + i)
    buf = io.BytesIO()
    Pickler(buf, protocol=2).dump({"generator_lora": generator, "critic_lora": critic, "step": 3000})
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with zipfile.ZipFile(OUT, "w", zipfile.ZIP_STORED) as z:
        z.writestr("longlive_lora/data.pkl", buf.getvalue())
        z.writestr("longlive_lora/byteorder", "little")
        for s in storages:
            z.writestr("longlive_lora/data/" + s.key, b"".join(bf16(v) for v in s.values))
        z.writestr("longlive_lora/version", "3\n")
    print("wrote", OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
