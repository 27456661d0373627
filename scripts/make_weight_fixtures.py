#!/usr/bin/python3
"""Writes the small weight fixtures under tests/data/weights/ (run once; the files are committed).

Needs only Debian's python3 + python3-torch (1.13). The DiT and T5 checkpoints hold the golden
weights (tests/data/golden/*_weights.safetensors) under the key layouts real releases use, so the
C++ tests can check that every layout loads to the golden tensors. The VAE and TAEHV checkpoints
are tiny configurations of their own (random weights) that exercise config inference. The
malformed/ files are the hostile inputs the checkpoint reader must reject with a clear message.

    /usr/bin/python3 scripts/make_weight_fixtures.py
"""

import collections
import io
import json
import os
import struct
import zipfile
import zlib

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLDEN = os.path.join(ROOT, "tests", "data", "golden")
OUT = os.path.join(ROOT, "tests", "data", "weights")

ST_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16,
             "F64": torch.float64, "I64": torch.int64}


def read_safetensors(path):
    """Our own minimal reader (the safetensors package is not on this machine)."""
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n])
    base = 8 + n
    out = collections.OrderedDict()
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = bytearray(blob[base + begin:base + end])
        t = torch.frombuffer(raw, dtype=ST_DTYPES[info["dtype"]]) if raw else torch.empty(0)
        out[name] = t.reshape(info["shape"]).clone()
    return out


def save(obj, *parts):
    path = os.path.join(OUT, *parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.save(obj, path)
    return path


def prefixed(sd, prefix, dtype=None):
    return collections.OrderedDict(
        (prefix + k, v if dtype is None else v.to(dtype)) for k, v in sd.items())


# --- Zip rewriting (zip64, deflate, dropped or shortened records) -------------------------------

def rewrite_zip(src, dst, zip64=False, deflate=None, drop=None, shorten=None):
    """Re-writes a torch.save archive entry by entry with our own zip writer.

    zip64: every size/offset goes into zip64 extra fields (as for multi-GB files), plus the
    zip64 end records. deflate: entry-name suffix to store compressed. drop: suffix of an entry
    to leave out. shorten: (suffix, n) to cut an entry's data to n bytes. Data stays 64-byte
    aligned like torch's writer, using a padding extra field.
    """
    with zipfile.ZipFile(src) as z:
        entries = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    out = bytearray()
    central = []
    for name, data in entries:
        if drop and name.endswith(drop):
            continue
        if shorten and name.endswith(shorten[0]):
            data = data[:shorten[1]]
        crc = zlib.crc32(data) & 0xFFFFFFFF
        method = 0
        payload = data
        if deflate and name.endswith(deflate):
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            payload = c.compress(data) + c.flush()
            method = 8
        fname = name.encode()
        offset = len(out)
        extra = b""
        if zip64:
            extra += struct.pack("<HHQQ", 1, 16, len(data), len(payload))
        # pad so that the data starts 64-byte aligned (torch's "FB" padding record)
        start = offset + 30 + len(fname) + len(extra)
        pad = (-(start + 4)) % 64
        extra += struct.pack("<HH", 0x4246, pad) + b"Z" * pad
        csize = 0xFFFFFFFF if zip64 else len(payload)
        usize = 0xFFFFFFFF if zip64 else len(data)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 45 if zip64 else 20, 0, method, 0, 0, crc,
                           csize, usize, len(fname), len(extra))
        out += fname + extra
        assert len(out) % 64 == 0
        out += payload
        central.append((fname, crc, method, len(data), len(payload), offset))
    cd_start = len(out)
    for fname, crc, method, usize, csize, offset in central:
        extra = b""
        if zip64:
            extra = struct.pack("<HHQQQ", 1, 24, usize, csize, offset)
            usize = csize = offset = 0xFFFFFFFF
        out += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 45, 45 if zip64 else 20, 0, method,
                           0, 0, crc, csize, usize, len(fname), len(extra), 0, 0, 0, 0, offset)
        out += fname + extra
    cd_size = len(out) - cd_start
    count = len(central)
    if zip64:
        eocd64 = len(out)
        out += struct.pack("<IQHHIIQQQQ", 0x06064B50, 44, 45, 45, 0, 0, count, count, cd_size,
                           cd_start)
        out += struct.pack("<IIQI", 0x07064B50, 0, eocd64, 1)
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF,
                           0)
    else:
        out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, cd_size, cd_start, 0)
    with open(dst, "wb") as f:
        f.write(out)


# --- Tiny VAE and TAEHV state dicts (same module trees as the real ones) ----------------------

def wan_vae_state_dict(dim, z, mults, nrb, temporal, gen):
    """Keys and shapes of Wan2.1's WanVAE_ for a configuration; random values."""
    sd = collections.OrderedDict()

    def conv(name, cout, cin, k):
        sd[name + ".weight"] = torch.randn(cout, cin, *k, generator=gen) / (cin * 27) ** 0.5
        sd[name + ".bias"] = torch.randn(cout, generator=gen) * 0.1

    def gamma(name, c, dims=3):
        sd[name + ".gamma"] = 1 + 0.1 * torch.randn(c, *([1] * dims), generator=gen)

    def res(name, cin, cout):
        gamma(name + ".residual.0", cin)
        conv(name + ".residual.2", cout, cin, (3, 3, 3))
        gamma(name + ".residual.3", cout)
        conv(name + ".residual.6", cout, cout, (3, 3, 3))
        if cin != cout:
            conv(name + ".shortcut", cout, cin, (1, 1, 1))

    def middle(name, c):
        res(name + ".0", c, c)
        gamma(name + ".1.norm", c, 2)
        conv(name + ".1.to_qkv", 3 * c, c, (1, 1))
        conv(name + ".1.proj", c, c, (1, 1))
        res(name + ".2", c, c)

    dims = [dim * m for m in [1] + list(mults)]
    conv("encoder.conv1", dims[0], 3, (3, 3, 3))
    i = 0
    for s, (cin, cout) in enumerate(zip(dims[:-1], dims[1:])):
        for _ in range(nrb):
            res("encoder.downsamples.%d" % i, cin, cout)
            cin = cout
            i += 1
        if s != len(mults) - 1:
            conv("encoder.downsamples.%d.resample.1" % i, cout, cout, (3, 3))
            if temporal[s]:
                conv("encoder.downsamples.%d.time_conv" % i, cout, cout, (3, 1, 1))
            i += 1
    middle("encoder.middle", dims[-1])
    gamma("encoder.head.0", dims[-1])
    conv("encoder.head.2", 2 * z, dims[-1], (3, 3, 3))
    conv("conv1", 2 * z, 2 * z, (1, 1, 1))
    conv("conv2", z, z, (1, 1, 1))

    ddims = [dim * m for m in [mults[-1]] + list(reversed(mults))]
    up = list(reversed(temporal))
    conv("decoder.conv1", ddims[0], z, (3, 3, 3))
    middle("decoder.middle", ddims[0])
    i = 0
    for s, (cin, cout) in enumerate(zip(ddims[:-1], ddims[1:])):
        if s in (1, 2, 3):
            cin = cin // 2
        for _ in range(nrb + 1):
            res("decoder.upsamples.%d" % i, cin, cout)
            cin = cout
            i += 1
        if s != len(mults) - 1:
            conv("decoder.upsamples.%d.resample.1" % i, cout // 2, cout, (3, 3))
            if up[s]:
                conv("decoder.upsamples.%d.time_conv" % i, cout * 2, cout, (3, 1, 1))
            i += 1
    gamma("decoder.head.0", ddims[-1])
    conv("decoder.head.2", 3, ddims[-1], (3, 3, 3))
    return sd


def taehv_state_dict(enc, dec, latent, gen, dtype):
    """Keys and shapes of madebyollin/taehv TAEHV (Wan 2.1 layout) with other widths."""
    sd = collections.OrderedDict()

    def conv(name, cout, cin, k=3, bias=True):
        sd[name + ".weight"] = (torch.randn(cout, cin, k, k, generator=gen) /
                                (cin * k * k) ** 0.5).to(dtype)
        if bias:
            sd[name + ".bias"] = (0.1 * torch.randn(cout, generator=gen)).to(dtype)

    def mem(name, c):
        conv(name + ".conv.0", c, 2 * c)
        conv(name + ".conv.2", c, c)
        conv(name + ".conv.4", c, c)

    conv("encoder.0", enc, 3)
    for first, stride in ((2, 2), (7, 2), (12, 1)):
        conv("encoder.%d.conv" % first, enc, enc * stride, 1, False)
        conv("encoder.%d" % (first + 1), enc, enc, 3, False)
        for j in range(3):
            mem("encoder.%d" % (first + 2 + j), enc)
    conv("encoder.17", latent, enc)
    conv("decoder.1", dec[0], latent)
    for j in (3, 4, 5):
        mem("decoder.%d" % j, dec[0])
    grow = ((7, 1), (13, 2), (19, 2))
    for s, (idx, stride) in enumerate(grow):
        c = dec[s]
        conv("decoder.%d.conv" % idx, c * stride, c, 1, False)
        conv("decoder.%d" % (idx + 1), dec[s + 1], c, 3, False)
        if s < 2:
            for j in range(3):
                mem("decoder.%d" % (idx + 2 + j), dec[s + 1])
    conv("decoder.22", 3, dec[3])
    return sd


def main():
    gen = torch.Generator().manual_seed(1234)
    dit = read_safetensors(os.path.join(GOLDEN, "dit_weights.safetensors"))
    t5 = read_safetensors(os.path.join(GOLDEN, "t5_weights.safetensors"))

    # Self-Forcing release layout: {"generator_ema": state dict with "model." prefix}, float32.
    save({"generator_ema": prefixed(dit, "model.")}, "pt", "self_forcing_ema.pt")
    # A training checkpoint: no EMA, FSDP wrapper names, bf16, with a critic beside it.
    save({"generator": prefixed(dit, "model._fsdp_wrapped_module.", torch.bfloat16),
          "critic": {"model.head.head.weight": torch.zeros(2, 2)},
          "step": 100},
         "pt", "generator_fsdp_bf16.pt")
    # Wan's T5 release layout: a plain dict (not an OrderedDict) of bf16 tensors, bare names.
    save({k: v.to(torch.bfloat16) for k, v in t5.items()}, "pt", "t5_bf16.pth")

    # Every storage type a state dict uses, shared storages and views, non-tensor values.
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    dtypes = collections.OrderedDict()
    dtypes["f32"] = torch.tensor([0.5, -1.0, 3.25])
    dtypes["f64"] = torch.tensor([1.5, -2.25], dtype=torch.float64)
    dtypes["f16"] = torch.tensor([1.0, -2.0, 65504.0], dtype=torch.float16)
    dtypes["bf16"] = torch.tensor([1.0, -5.0, 3.0e38], dtype=torch.bfloat16)
    dtypes["i64"] = torch.tensor([-7, 1 << 40])
    dtypes["i32"] = torch.tensor([-123456], dtype=torch.int32)
    dtypes["i16"] = torch.tensor([-2, 300], dtype=torch.int16)
    dtypes["i8"] = torch.tensor([-128, 127], dtype=torch.int8)
    dtypes["u8"] = torch.tensor([0, 255], dtype=torch.uint8)
    dtypes["bool"] = torch.tensor([True, False])
    dtypes["scalar"] = torch.tensor(2.5)
    dtypes["empty"] = torch.zeros(0, 3)
    dtypes["base"] = base
    dtypes["transposed"] = base.t()
    dtypes["block"] = base[1:3, 2:5]
    dtypes["row"] = base[2]
    dtypes["every_other"] = base[:, ::2]
    dtypes["broadcast"] = torch.arange(3.0).expand(4, 3)
    dtypes["big_int"] = torch.tensor([2 ** 62 + 5])
    ckpt = {"state": dtypes, "step": 7, "lr": 0.5, "name": "fixture", "flags": [True, None],
            "nested": {"deeper": {"w": torch.ones(2)}}, "neg": -300000, "huge": 2 ** 70}
    save(ckpt, "pt", "dtypes.pt")
    rewrite_zip(os.path.join(OUT, "pt", "dtypes.pt"), os.path.join(OUT, "pt", "dtypes_zip64.pt"),
                zip64=True)
    check = torch.load(os.path.join(OUT, "pt", "dtypes_zip64.pt"))
    assert torch.equal(check["state"]["block"], base[1:3, 2:5])
    assert zipfile.ZipFile(os.path.join(OUT, "pt", "dtypes_zip64.pt")).testzip() is None

    # Tiny VAE and TAEHV in the release formats (plain state dicts).
    save(wan_vae_state_dict(4, 4, [1, 2, 4, 4], 1, [False, True, True], gen),
         "pt_more", "wan_vae_tiny.pth")
    save(taehv_state_dict(8, (16, 8, 8, 8), 16, gen, torch.float16), "pt_more", "taehv_tiny.pth")
    vocab = [["<pad>", 0.0], ["</s>", 0.0], ["<unk>", 0.0], ["\u2581a", -1.5], ["b", -2.0]]
    with open(os.path.join(OUT, "pt_more", "tokenizer.json"), "w") as f:
        json.dump({"version": "1.0", "added_tokens": [],
                   "model": {"type": "Unigram", "unk_id": 2, "vocab": vocab}}, f)

    # Hostile and broken files.
    bad = os.path.join(OUT, "malformed")
    os.makedirs(bad, exist_ok=True)

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo this must never run",))

    save({"weight": torch.zeros(2), "payload": Evil()}, "malformed", "os_system.pt")

    class Overreach:
        def __init__(self):
            self.storage = torch.zeros(4).storage()

        def __reduce__(self):
            return (torch._utils._rebuild_tensor_v2,
                    (self.storage, 2, (3,), (1,), False, collections.OrderedDict()))

    save({"weight": Overreach()}, "malformed", "view_out_of_range.pt")
    save({"weight": torch.zeros(2, dtype=torch.complex64)}, "malformed", "complex_storage.pt")
    torch.save({"weight": torch.zeros(2)}, os.path.join(bad, "legacy_format.pt"),
               _use_new_zipfile_serialization=False)
    src = os.path.join(OUT, "pt", "dtypes.pt")
    with open(src, "rb") as f:
        blob = f.read()
    with open(os.path.join(bad, "truncated.pt"), "wb") as f:
        f.write(blob[:len(blob) // 2])
    rewrite_zip(src, os.path.join(bad, "compressed.pt"), deflate="data.pkl")
    rewrite_zip(src, os.path.join(bad, "missing_record.pt"), drop="/data/3")
    rewrite_zip(src, os.path.join(bad, "record_too_small.pt"), shorten=("/data/0", 4))
    with open(os.path.join(bad, "not_a_model.pt"), "wb") as f:
        f.write(b"this is a text file, not a checkpoint\n")
    print("fixtures written to", OUT)


if __name__ == "__main__":
    main()
