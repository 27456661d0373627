#include "pipeline/step_graphs.h"

#include "sfs/build_config.h"
#include "sfs/inference/runtime_info.h"

#include <ATen/ATen.h>
#include <c10/core/InferenceMode.h>
#include <torch/version.h>

#include <algorithm>
#include <stdexcept>
#include <type_traits>
#include <utility>

// Graphs need LibTorch's CUDAGraph with a thread-local capture (below), which LibTorch 1.x
// lacks. SFS_STEP_GRAPHS may be set from outside to compile the CUDA path against other
// headers (a syntax check where no CUDA LibTorch exists).
#ifndef SFS_STEP_GRAPHS
#define SFS_STEP_GRAPHS (SFS_TORCH_CUDA && TORCH_VERSION_MAJOR >= 2)
#endif

#if SFS_STEP_GRAPHS
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAFunctions.h>
#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#endif

namespace sfs::inference::pipeline {

bool StepGraphKey::operator==(const StepGraphKey& o) const {
    const models::KvWritePlan& a = plan;
    const models::KvWritePlan& b = o.plan;
    return a.moveFrom == b.moveFrom && a.moveTo == b.moveTo && a.moveCount == b.moveCount &&
           a.writeBegin == b.writeBegin && a.attendBegin == b.attendBegin &&
           a.attendEnd == b.attendEnd && a.rebaseBegin == b.rebaseBegin &&
           a.rebaseCount == b.rebaseCount && a.rebaseFrames == b.rebaseFrames &&
           ropeFrame == o.ropeFrame && frames == o.frames && ropeTable == o.ropeTable;
}

namespace {

constexpr size_t kKeptGraphs = 2;
constexpr size_t kKeptWarmUps = 8;

#if SFS_STEP_GRAPHS
// Newer LibTorch takes a capture mode: thread-local, so that other threads may use CUDA
// (allocate, copy, synchronise) while this one captures. A global capture would break the
// decoder thread's work (engine: it decodes on a stream of its own meanwhile), so where the
// mode cannot be chosen there are no graphs.
template <typename G, typename = void>
struct TakesCaptureMode : std::false_type {};
template <typename G>
struct TakesCaptureMode<G, std::void_t<decltype(std::declval<G&>().capture_begin(
                               c10::cuda::MempoolId_t{0, 0}, cudaStreamCaptureModeThreadLocal))>>
    : std::true_type {};

constexpr bool kCanCapture = TakesCaptureMode<at::cuda::CUDAGraph>::value;

template <typename G>
void beginCapture(G& graph) {
    if constexpr (TakesCaptureMode<G>::value) {
        graph.capture_begin(c10::cuda::MempoolId_t{0, 0}, cudaStreamCaptureModeThreadLocal);
    } else {
        throw std::logic_error("step graphs: this LibTorch cannot capture thread-locally");
    }
}
#endif

} // namespace

struct StepGraphs::Graph {
    StepGraphKey key;
    at::Tensor rope; // the table the graph reads: kept so its memory is never reused
    at::Tensor x, t; // the graph's inputs; a replay reads whatever they hold
    at::Tensor flow; // its output, rewritten by every replay
#if SFS_STEP_GRAPHS
    at::cuda::CUDAGraph graph;
#endif
};

StepGraphs::StepGraphs() = default;
StepGraphs::~StepGraphs() = default;

bool StepGraphs::supported(const c10::Device& device) {
#if SFS_STEP_GRAPHS
    return kCanCapture && device.is_cuda();
#else
    (void)device;
    return false;
#endif
}

void StepGraphs::clear() {
    m_graphs.clear();
    m_warmedUp.clear();
}

at::Tensor StepGraphs::run(const StepGraphKey& key, const at::Tensor& rope, const at::Tensor& x,
                           const at::Tensor& t, const Call& call) {
    if (!supported(x.device())) {
        return call(x, t);
    }
#if SFS_STEP_GRAPHS
    auto found = std::find_if(m_graphs.begin(), m_graphs.end(),
                              [&](const std::unique_ptr<Graph>& g) { return g->key == key; });
    if (found == m_graphs.end()) {
        if (std::find(m_warmedUp.begin(), m_warmedUp.end(), key) == m_warmedUp.end()) {
            m_warmedUp.push_back(key);
            if (m_warmedUp.size() > kKeptWarmUps) {
                m_warmedUp.erase(m_warmedUp.begin());
            }
            return call(x, t);
        }
        auto g = std::make_unique<Graph>();
        g->key = key;
        g->rope = rope;
        g->x = x.clone();
        g->t = t.clone();
        // Captured on a stream of its own (the default stream cannot capture), after the
        // work queued so far: a synchronisation once per capture, never per replay.
        c10::cuda::device_synchronize();
        {
            const c10::cuda::CUDAStreamGuard onSide(c10::cuda::getStreamFromPool());
            beginCapture(g->graph);
            try {
                g->flow = call(g->x, g->t);
            } catch (...) {
                try {
                    g->graph.capture_end(); // leave the stream out of capture mode
                } catch (...) {
                }
                throw;
            }
            g->graph.capture_end();
        }
        c10::cuda::device_synchronize();
        ++m_captures;
        if (m_graphs.size() == kKeptGraphs) {
            m_graphs.erase(m_graphs.begin());
        }
        m_graphs.push_back(std::move(g));
        found = m_graphs.end() - 1;
    } else if (found + 1 != m_graphs.end()) { // the newest last
        std::rotate(found, found + 1, m_graphs.end());
        found = m_graphs.end() - 1;
    }
    Graph& g = **found;
    g.x.copy_(x, /*non_blocking=*/true);
    g.t.copy_(t, /*non_blocking=*/true);
    g.graph.replay();
    ++m_replays;
    return g.flow;
#else
    (void)key;
    (void)rope;
    return call(x, t);
#endif
}

} // namespace sfs::inference::pipeline

namespace sfs::inference {

bool cudaGraphsAvailable() {
    return queryRuntime().cudaAvailable &&
           pipeline::StepGraphs::supported(c10::Device(c10::kCUDA, 0));
}

} // namespace sfs::inference
