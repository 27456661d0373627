#!/usr/bin/python3
"""Makes a second DiT golden set in the layout of shared/golden (manifest.json + safetensors),
with everything the first set keeps fixed changed: model dims, batch 2, non-square latents,
another timestep shift and step list, another rolling window, an independent first frame
without initial latents.  It exists to show that sfs-golden is driven by the manifest alone.

The numbers come from our own float32 port of Self-Forcing's CausalWanModel and
CausalInferencePipeline, written in PyTorch from shared/spec/dit-and-pipeline.md (same
operations, same order, same float64 islands); set A, made with the original code, is the
authority on the reference itself.

Run with Debian's python3-torch (1.13):  /usr/bin/python3 tests/golden/make_dit_set.py OUTDIR
"""

import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as F

SEED = 20261124

DIT = {
    "model_type": "t2v", "patch_size": [1, 2, 2], "text_len": 10, "in_dim": 16, "dim": 48,
    "ffn_dim": 96, "freq_dim": 24, "text_dim": 20, "out_dim": 16, "num_heads": 3,
    "num_layers": 3, "qk_norm": True, "cross_attn_norm": True, "eps": 1e-06, "head_dim": 16,
    "latent_hw": [6, 8], "frame_seq_length": 12, "num_frame_per_block": 3, "num_frames": 6,
    "batch": 2,
}
PIPELINE = {
    "denoising_step_list": [1000, 600, 300], "warp_denoising_step": True, "timestep_shift": 8.0,
    "num_frame_per_block": 3, "context_noise": 0, "independent_first_frame": False,
}
RUNS = [
    {"name": "local", "local_attn_size": 7, "sink_size": 1, "batch": 2, "num_frames": 12},
    {"name": "i2v", "independent_first_frame": True, "initial_latent_frames": 1, "batch": 2,
     "num_frames": 3},
    {"name": "extend", "independent_first_frame": False, "initial_latent_frames": 3, "batch": 1,
     "num_frames": 3},
    {"name": "first", "independent_first_frame": True, "batch": 2, "num_frames": 4},
]


# ----------------------------------------------------------------------------------------------
# safetensors

def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors:
        t = t.detach().contiguous()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


# ----------------------------------------------------------------------------------------------
# weights (the golden law: N(0, 1/fan_in) weights, N(0, 0.1²) biases, 1 + N(0, 0.1²) norm
# weights, N(0, 1)/sqrt(dim) modulations)

def parameter_shapes(c):
    d, p = c["dim"], c["patch_size"]
    out = [("patch_embedding.weight", [d, c["in_dim"]] + p), ("patch_embedding.bias", [d]),
           ("text_embedding.0.weight", [d, c["text_dim"]]), ("text_embedding.0.bias", [d]),
           ("text_embedding.2.weight", [d, d]), ("text_embedding.2.bias", [d]),
           ("time_embedding.0.weight", [d, c["freq_dim"]]), ("time_embedding.0.bias", [d]),
           ("time_embedding.2.weight", [d, d]), ("time_embedding.2.bias", [d]),
           ("time_projection.1.weight", [6 * d, d]), ("time_projection.1.bias", [6 * d]),
           ("head.modulation", [1, 2, d]),
           ("head.head.weight", [math.prod(p) * c["out_dim"], d]),
           ("head.head.bias", [math.prod(p) * c["out_dim"]])]
    for i in range(c["num_layers"]):
        b = "blocks.%d." % i
        out.append((b + "modulation", [1, 6, d]))
        for attn in ("self_attn.", "cross_attn."):
            for proj in "qkvo":
                out += [(b + attn + proj + ".weight", [d, d]), (b + attn + proj + ".bias", [d])]
            out += [(b + attn + "norm_q.weight", [d]), (b + attn + "norm_k.weight", [d])]
        out += [(b + "norm3.weight", [d]), (b + "norm3.bias", [d]),
                (b + "ffn.0.weight", [c["ffn_dim"], d]), (b + "ffn.0.bias", [c["ffn_dim"]]),
                (b + "ffn.2.weight", [d, c["ffn_dim"]]), (b + "ffn.2.bias", [d])]
    return out


def random_weights(c, gen):
    w = {}
    for name, shape in parameter_shapes(c):
        t = torch.randn(shape, generator=gen)
        if name.endswith("modulation"):
            t = t / math.sqrt(c["dim"])
        elif name.endswith(("norm_q.weight", "norm_k.weight", "norm3.weight")):
            t = 1 + 0.1 * t
        elif name.endswith(".bias"):
            t = 0.1 * t
        else:
            t = t / math.sqrt(math.prod(shape[1:]))
        w[name] = t
    return w


# ----------------------------------------------------------------------------------------------
# the causal DiT (CausalWanModel._forward_inference)

def sinusoidal_embedding_1d(dim, position):
    half = dim // 2
    position = position.type(torch.float64)
    s = torch.outer(position, torch.pow(10000, -torch.arange(half).to(position).div(half)))
    return torch.cat([torch.cos(s), torch.sin(s)], dim=1)


def rope_params(max_len, dim, theta=10000):
    f = torch.outer(torch.arange(max_len),
                    1.0 / torch.pow(theta, torch.arange(0, dim, 2).to(torch.float64).div(dim)))
    return torch.polar(torch.ones_like(f), f)


def rope_apply(x, grid, freqs, start_frame):
    n, c = x.size(2), x.size(3) // 2
    parts = freqs.split([c - 2 * (c // 3), c // 3, c // 3], dim=1)
    f, h, w = grid
    seq = f * h * w
    out = []
    for i in range(x.size(0)):
        xi = torch.view_as_complex(x[i, :seq].to(torch.float64).reshape(seq, n, -1, 2))
        fi = torch.cat([parts[0][start_frame:start_frame + f].view(f, 1, 1, -1).expand(f, h, w, -1),
                        parts[1][:h].view(1, h, 1, -1).expand(f, h, w, -1),
                        parts[2][:w].view(1, 1, w, -1).expand(f, h, w, -1)],
                       dim=-1).reshape(seq, 1, -1)
        out.append(torch.view_as_real(xi * fi).flatten(2))
    return torch.stack(out).type_as(x)


def rms_norm(x, weight, eps):
    xf = x.float()
    return (xf * torch.rsqrt(xf.pow(2).mean(dim=-1, keepdim=True) + eps)).type_as(x) * weight


def attention(q, k, v):  # [B, L, n, d], exact softmax attention
    q, k, v = (t.transpose(1, 2) for t in (q, k, v))
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.size(-1))
    return (scores.softmax(dim=-1) @ v).transpose(1, 2)


class CausalDit:
    def __init__(self, weights, c, local_attn_size=-1, sink_size=0):
        self.w, self.c = weights, c
        self.local_attn_size, self.sink_size = local_attn_size, sink_size
        d = c["dim"] // c["num_heads"]
        self.freqs = torch.cat([rope_params(1024, d - 4 * (d // 6)),
                                rope_params(1024, 2 * (d // 6)),
                                rope_params(1024, 2 * (d // 6))], dim=1)

    def lin(self, x, name):
        return F.linear(x, self.w[name + ".weight"], self.w[name + ".bias"])

    def self_attn(self, i, x, grid, kv, current_start, frame_seqlen):
        b, s, n = x.size(0), x.size(1), self.c["num_heads"]
        d = self.c["dim"] // n
        p, eps = "blocks.%d.self_attn." % i, self.c["eps"]
        q = rms_norm(self.lin(x, p + "q"), self.w[p + "norm_q.weight"], eps).view(b, s, n, d)
        k = rms_norm(self.lin(x, p + "k"), self.w[p + "norm_k.weight"], eps).view(b, s, n, d)
        v = self.lin(x, p + "v").view(b, s, n, d)
        start_frame = current_start // frame_seqlen
        q = rope_apply(q, grid, self.freqs, start_frame).type_as(v)
        k = rope_apply(k, grid, self.freqs, start_frame).type_as(v)
        current_end = current_start + q.shape[1]
        sink = self.sink_size * frame_seqlen
        size = kv["k"].shape[1]
        new = q.shape[1]
        g, r = kv["global_end_index"].item(), kv["local_end_index"].item()
        if self.local_attn_size != -1 and current_end > g and new + r > size:
            evicted = new + r - size
            rolled = r - evicted - sink
            kv["k"][:, sink:sink + rolled] = kv["k"][:, sink + evicted:sink + evicted + rolled].clone()
            kv["v"][:, sink:sink + rolled] = kv["v"][:, sink + evicted:sink + evicted + rolled].clone()
            local_end = r + current_end - g - evicted
        else:
            local_end = r + current_end - g
        kv["k"][:, local_end - new:local_end] = k
        kv["v"][:, local_end - new:local_end] = v
        window = size  # max_attention_size equals the cache size
        out = attention(q, kv["k"][:, max(0, local_end - window):local_end],
                        kv["v"][:, max(0, local_end - window):local_end])
        kv["global_end_index"].fill_(current_end)
        kv["local_end_index"].fill_(local_end)
        return self.lin(out.flatten(2), p + "o")

    def cross_attn(self, i, x, context, cache):
        b, n = x.size(0), self.c["num_heads"]
        d = self.c["dim"] // n
        p, eps = "blocks.%d.cross_attn." % i, self.c["eps"]
        q = rms_norm(self.lin(x, p + "q"), self.w[p + "norm_q.weight"], eps).view(b, -1, n, d)
        if not cache["is_init"]:
            cache["is_init"] = True
            cache["k"] = rms_norm(self.lin(context, p + "k"), self.w[p + "norm_k.weight"],
                                  eps).view(b, -1, n, d)
            cache["v"] = self.lin(context, p + "v").view(b, -1, n, d)
        return self.lin(attention(q, cache["k"], cache["v"]).flatten(2), p + "o")

    def forward(self, x, t, context, kv_cache, cross_cache, current_start):
        """x [B, C, F, H, W] (model layout), t [B, Ft]."""
        c, w, eps, dim = self.c, self.w, self.c["eps"], self.c["dim"]
        tokens = [F.conv3d(u.unsqueeze(0), w["patch_embedding.weight"], w["patch_embedding.bias"],
                           stride=c["patch_size"]) for u in x]
        grid = tuple(tokens[0].shape[2:])
        x = torch.cat([u.flatten(2).transpose(1, 2) for u in tokens])
        frame_seqlen = grid[1] * grid[2]
        e = self.lin(F.silu(self.lin(sinusoidal_embedding_1d(c["freq_dim"], t.flatten()).type_as(x),
                                     "time_embedding.0")), "time_embedding.2")
        e0 = self.lin(F.silu(e), "time_projection.1").unflatten(1, (6, dim)).unflatten(0, t.shape)
        ctx = torch.stack([torch.cat([u, u.new_zeros(c["text_len"] - u.size(0), u.size(1))])
                           for u in context])
        ctx = self.lin(F.gelu(self.lin(ctx, "text_embedding.0"), approximate="tanh"),
                       "text_embedding.2")
        frames, seq = e0.shape[1], x.shape[1] // e0.shape[1]
        for i in range(c["num_layers"]):
            m = (w["blocks.%d.modulation" % i].unsqueeze(1) + e0).chunk(6, dim=2)
            a = (F.layer_norm(x, (dim,), eps=eps).unflatten(1, (frames, seq)) * (1 + m[1])
                 + m[0]).flatten(1, 2)
            y = self.self_attn(i, a, grid, kv_cache[i], current_start, frame_seqlen)
            x = x + (y.unflatten(1, (frames, seq)) * m[2]).flatten(1, 2)
            x = x + self.cross_attn(i, F.layer_norm(x, (dim,), w["blocks.%d.norm3.weight" % i],
                                                    w["blocks.%d.norm3.bias" % i], eps),
                                    ctx, cross_cache[i])
            a = (F.layer_norm(x, (dim,), eps=eps).unflatten(1, (frames, seq)) * (1 + m[4])
                 + m[3]).flatten(1, 2)
            y = self.lin(F.gelu(self.lin(a, "blocks.%d.ffn.0" % i), approximate="tanh"),
                         "blocks.%d.ffn.2" % i)
            x = x + (y.unflatten(1, (frames, seq)) * m[5]).flatten(1, 2)
        hm = (w["head.modulation"].unsqueeze(1) + e.unflatten(0, t.shape).unsqueeze(2)).chunk(2, dim=2)
        out = self.lin(F.layer_norm(x, (dim,), eps=eps).unflatten(1, (frames, seq)) * (1 + hm[1])
                       + hm[0], "head.head")
        out = out.flatten(1, 2)
        videos = []
        for u in out:
            u = u.view(*grid, *c["patch_size"], c["out_dim"])
            u = torch.einsum("fhwpqrc->cfphqwr", u)
            videos.append(u.reshape(c["out_dim"], *[g * p for g, p in zip(grid, c["patch_size"])]))
        return torch.stack(videos)


# ----------------------------------------------------------------------------------------------
# scheduler, wrapper, pipeline (FlowMatchScheduler, WanDiffusionWrapper, CausalInferencePipeline)

class Scheduler:
    def __init__(self, shift, steps=1000):
        s = torch.linspace(1.0, 0.0, steps + 1)[:-1]
        self.sigmas = shift * s / (1 + (shift - 1) * s)
        self.timesteps = self.sigmas * steps

    def add_noise(self, x0, eps, t):
        idx = torch.argmin((self.timesteps.unsqueeze(0) - t.unsqueeze(1)).abs(), dim=1)
        sigma = self.sigmas[idx].reshape(-1, 1, 1, 1)
        return ((1 - sigma) * x0 + sigma * eps).type_as(eps)

    def to_x0(self, flow, xt, t):
        flow, xt, sigmas, timesteps = (u.double() for u in (flow, xt, self.sigmas, self.timesteps))
        idx = torch.argmin((timesteps.unsqueeze(0) - t.double().unsqueeze(1)).abs(), dim=1)
        return (xt - sigmas[idx].reshape(-1, 1, 1, 1) * flow).float()


def new_caches(batch, size, c):
    n, d = c["num_heads"], c["dim"] // c["num_heads"]
    kv = [{"k": torch.zeros(batch, size, n, d), "v": torch.zeros(batch, size, n, d),
           "global_end_index": torch.tensor([0]), "local_end_index": torch.tensor([0])}
          for _ in range(c["num_layers"])]
    cross = [{"is_init": False} for _ in range(c["num_layers"])]
    return kv, cross


def generator_call(model, sched, x, t, context, kv, cross, current_start):
    """WanDiffusionWrapper: pipeline layout in and out; x0 per frame."""
    flow = model.forward(x.permute(0, 2, 1, 3, 4), t, context, kv, cross,
                         current_start).permute(0, 2, 1, 3, 4)
    if t.shape[1] == x.shape[1]:
        tt = t.flatten(0, 1)
    else:  # a [B, 1] timestep (context pass): one value per batch item, for every frame
        tt = t.expand(x.shape[0], x.shape[1]).flatten(0, 1)
    x0 = sched.to_x0(flow.flatten(0, 1), x.flatten(0, 1), tt).unflatten(0, flow.shape[:2])
    return flow, x0


def run_pipeline(weights, steps, sched, noise, context, initial, independent, local, sink, gen):
    c = DIT
    b, frames = noise.shape[:2]
    frame_seqlen = c["frame_seq_length"]
    n_in = initial.shape[1] if initial is not None else 0
    size = (local if local != -1 else 21) * frame_seqlen
    model = CausalDit(weights, c, local, sink)
    kv, cross = new_caches(b, size, c)
    calls, draws = [], []
    out = torch.zeros(b, n_in + frames, *noise.shape[2:])

    def call(role, x, t, start, step=None):
        name = "call%02d_%s_f%d" % (len(calls), role, start) + ("" if step is None else "_s%d" % step)
        flow, x0 = generator_call(model, sched, x, t, context, kv, cross, start * frame_seqlen)
        calls.append({"name": name, "role": role, "start_frame": start, "num_frames": x.shape[1],
                      "step": step, "current_start": start * frame_seqlen,
                      "timestep": float(t.flatten()[0]), "input": x, "t": t, "flow": flow, "x0": x0})
        return x0

    start = 0
    if initial is not None:
        zero = torch.zeros(b, 1, dtype=torch.int64).float()
        pieces = ([1] if independent else []) + [3] * ((n_in - (1 if independent else 0)) // 3)
        for p in pieces:
            out[:, start:start + p] = initial[:, start:start + p]
            call("context", initial[:, start:start + p], zero, start)
            start += p
    blocks = ([1] if independent and initial is None else []) + \
        [3] * ((frames - (1 if independent and initial is None else 0)) // 3)
    for f in blocks:
        x = noise[:, start - n_in:start - n_in + f]
        for k, tk in enumerate(steps):
            t = torch.ones(b, f, dtype=torch.int64) * tk
            x0 = call("denoise", x, t, start, k)
            if k < len(steps) - 1:
                eps = torch.randn(x0.flatten(0, 1).shape, generator=gen)
                draws.append(("noise_draw%02d_f%d_after_s%d" % (len(draws), start, k), eps))
                x = sched.add_noise(x0.flatten(0, 1), eps,
                                    steps[k + 1] * torch.ones(b * f, dtype=torch.long)
                                    ).unflatten(0, x0.shape[:2])
        out[:, start:start + f] = x0
        call("cache_update", x0, torch.ones_like(t) * PIPELINE["context_noise"], start)
        start += f
    caches = [(kv[i]["k"][:, :kv[i]["local_end_index"].item()],
               kv[i]["v"][:, :kv[i]["local_end_index"].item()]) for i in range(c["num_layers"])]
    return out, calls, draws, caches


# ----------------------------------------------------------------------------------------------

class FileWriter:
    def __init__(self, outdir, manifest):
        self.outdir, self.manifest = outdir, manifest

    def write(self, name, description, tensors, **extra):
        write_safetensors(os.path.join(self.outdir, name), [(k, t) for k, t, _ in tensors])
        entry = {"description": description,
                 "tensors": {k: {"dtype": "I64" if t.dtype == torch.int64 else "F32",
                                 "shape": list(t.shape), "desc": desc} for k, t, desc in tensors}}
        entry.update(extra)
        entry["size_bytes"] = os.path.getsize(os.path.join(self.outdir, name))
        self.manifest["files"][name] = entry


def main(outdir):
    torch.set_num_threads(1)
    os.makedirs(outdir, exist_ok=True)
    gen = torch.Generator().manual_seed(SEED)
    c = DIT
    h, w = c["latent_hw"]
    b = c["batch"]
    manifest = {"set": "dit-B", "purpose": __doc__.strip().split("\n\n")[0],
                "generated_by": "/usr/bin/python3 tests/golden/make_dit_set.py OUTDIR",
                "environment": {"torch": torch.__version__},
                "configs": {"dit": dict(c), "pipeline": dict(PIPELINE, extra_runs=RUNS)},
                "files": {}}
    files = FileWriter(outdir, manifest)

    weights = random_weights(c, gen)
    files.write("dit_weights.safetensors", "Weights of the DiT, state_dict names (no prefix).",
                [(k, t, "parameter") for k, t in weights.items()])

    sched = Scheduler(PIPELINE["timestep_shift"])
    ext = torch.cat([sched.timesteps, torch.tensor([0.0])])
    steps = ext[1000 - torch.tensor(PIPELINE["denoising_step_list"])]
    context = torch.randn(b, c["text_len"], c["text_dim"], generator=gen)
    context[:, 7:] = 0  # padded rows of a T5 output
    common = [("prompt_embeds", context, "F32 [B, text_len, text_dim] context (padded rows 0)"),
              ("denoising_step_list", steps, "F32 warped timesteps"),
              ("scheduler_sigmas", sched.sigmas, "F32 [1000] sigmas"),
              ("scheduler_timesteps", sched.timesteps, "F32 [1000] timesteps")]

    # One forward with fresh caches, and one with a different t per frame.
    x = torch.randn(b, 3, 16, h, w, generator=gen)
    t = torch.full((b, 3), float(steps[1]))
    model = CausalDit(weights, c)
    kv, cross = new_caches(b, 21 * c["frame_seq_length"], c)
    flow, x0 = generator_call(model, sched, x, t, context, kv, cross, 0)
    per = torch.tensor([[float(s) for s in steps[:3]]] * b)
    per[1::2] = per[1::2].flip(1)
    kv2, cross2 = new_caches(b, 21 * c["frame_seq_length"], c)
    pflow, px0 = generator_call(model, sched, x, per, context, kv2, cross2, 0)
    tensors = [("x", x, "F32 [B, 3, 16, h, w]"), ("timestep", t, "F32 [B, 3]"),
               ("prompt_embeds", context, "F32 context"), ("flow_pred", flow, "F32 flow"),
               ("x0", x0, "F32 x0")]
    for i in range(c["num_layers"]):
        n = kv[i]["local_end_index"].item()
        tensors += [("kv_cache_layer%d_k" % i, kv[i]["k"][:, :n], "F32 K written"),
                    ("kv_cache_layer%d_v" % i, kv[i]["v"][:, :n], "F32 V written")]
    tensors += [("perframe_timestep", per, "F32 [B, 3] per-frame t"),
                ("perframe_flow_pred", pflow, "F32 flow"), ("perframe_x0", px0, "F32 x0")]
    files.write("dit_single_forward.safetensors", "One forward at frame 0, fresh caches.", tensors)

    for run in [None] + RUNS:
        batch = run["batch"] if run else b
        frames = run["num_frames"] if run else c["num_frames"]
        n_in = run.get("initial_latent_frames", 0) if run else 0
        independent = run.get("independent_first_frame", False) if run else False
        local = run.get("local_attn_size", -1) if run else -1
        sink = run.get("sink_size", 0) if run else 0
        noise = torch.randn(batch, frames, 16, h, w, generator=gen)
        initial = torch.randn(batch, n_in, 16, h, w, generator=gen) if n_in else None
        ctx = context[:batch]
        latents, calls, draws, caches = run_pipeline(weights, steps, sched, noise, ctx, initial,
                                                     independent, local, sink, gen)
        name = "dit_pipeline.safetensors" if run is None else "dit_pipeline_%s.safetensors" % run["name"]
        tensors = [("noise", noise, "F32 [B, F, 16, h, w]")]
        if initial is not None:
            tensors.append(("initial_latent", initial, "F32 [B, F0, 16, h, w]"))
        tensors += [(k, v[:batch] if k == "prompt_embeds" else v, d) for k, v, d in common]
        for call in calls:
            if run is not None and call["role"] != "denoise":
                continue
            tensors += [(call["name"] + "_input", call["input"], "F32 input"),
                        (call["name"] + "_timestep", call["t"].float(), "F32 timestep")]
            if run is None:
                tensors.append((call["name"] + "_flow_pred", call["flow"], "F32 flow"))
            tensors.append((call["name"] + "_x0", call["x0"], "F32 x0"))
        tensors += [(k, v, "F32 noise draw") for k, v in draws]
        tensors.append(("latents", latents, "F32 output latents"))
        for i, (k, v) in enumerate(caches):
            tensors += [("kv_cache_layer%d_k" % i, k, "F32 K cache"),
                        ("kv_cache_layer%d_v" % i, v, "F32 V cache")]
        extra = {"calls": [{k: call[k] for k in ("name", "role", "start_frame", "num_frames",
                                                   "step", "current_start", "timestep")}
                           for call in calls]}
        if run is not None:
            extra["run"] = run
        files.write(name, "Pipeline run %s." % (run["name"] if run else "main"), tensors, **extra)

    with open(os.path.join(outdir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/data/golden-dit-b")
