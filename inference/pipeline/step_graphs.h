#pragma once
// CUDA-graph mode for the denoising step (issue 17, GeneratorOptions::cudaGraphs): a block's
// denoising call is captured once as a CUDA graph and replayed for its other steps and for
// every later block whose call reads and writes the same memory. A replay launches the whole
// step (hundreds of kernels) with one call, so the GPU no longer waits on the CPU between
// small kernels. The model's CUDA path makes this possible: no host synchronisation inside a
// call, and once a rolling window is full (with cache-relative RoPE) every block's calls have
// the same shapes and cache rows.
//
// A captured graph replays fixed kernels on fixed addresses, so a key holds everything a call
// depends on besides the values in its inputs: the cache rows it moves, writes and reads, its
// RoPE position and table (by address), the frames. Calls with a block hook (VACE) run
// eagerly. Elsewhere (the CPU, a build without CUDA) run() simply calls.

#include "models/wan_dit.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace sfs::inference::pipeline {

struct StepGraphKey {
    models::KvWritePlan plan;
    int64_t ropeFrame = 0;
    int64_t frames = 0;
    const void* ropeTable = nullptr; // the table the call reads (DitModel::ropeTable)
    bool operator==(const StepGraphKey& o) const;
};

class StepGraphs {
public:
    using Call = std::function<at::Tensor(const at::Tensor& x, const at::Tensor& t)>;

    StepGraphs();
    ~StepGraphs();
    StepGraphs(const StepGraphs&) = delete;
    StepGraphs& operator=(const StepGraphs&) = delete;

    // Whether graphs can be captured for tensors on `device`: a CUDA device, in a build with
    // CUDA and a LibTorch whose CUDAGraph captures thread-locally (2.x).
    static bool supported(const c10::Device& device);

    // call(x, t) through the graph of `key`: the first call with a key runs eagerly (it warms
    // up what a capture must not initialise: cuBLAS handles, workspaces, the RoPE table), the
    // second captures the call and replays it, later ones copy x and t into the graph's inputs
    // and replay. `rope` is the table the key names; the graph keeps it alive. The result of a
    // replay belongs to the graph and is overwritten by its next replay. Unsupported devices:
    // call(x, t).
    at::Tensor run(const StepGraphKey& key, const at::Tensor& rope, const at::Tensor& x,
                   const at::Tensor& t, const Call& call);

    // Drops every graph (the memory they read is about to change shape or owner).
    void clear();

    int64_t captures() const { return m_captures; }
    int64_t replays() const { return m_replays; }

private:
    struct Graph;
    // The newest last; a few are kept (a rolling window needs one, a run that has not filled
    // its window a new one per block, which is never replayed after that block).
    std::vector<std::unique_ptr<Graph>> m_graphs;
    std::vector<StepGraphKey> m_warmedUp; // keys run eagerly once, newest last
    int64_t m_captures = 0, m_replays = 0;
};

} // namespace sfs::inference::pipeline
