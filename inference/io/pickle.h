#pragma once
// A restricted unpickler for PyTorch state dicts (data.pkl of a torch.save archive).
//
// It interprets the pickle opcodes that state dicts use (protocol 2 as torch.save writes, plus
// the few protocol 3-4 additions) into a tree of plain values, and never executes anything:
// the only callables it knows are an allow-list (OrderedDict, torch's tensor and parameter
// rebuild functions, the storage types), and each is interpreted here. Any other global is an
// error naming it. Torch-free.

#include "io/dtype.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sfs::inference::io::pickle {

enum class Kind : uint8_t {
    None,
    Bool,
    Int,
    BigInt, // an integer beyond 64 bits (kept, never needed by a state dict)
    Float,
    String,
    Bytes,
    Tuple,
    List,
    Dict, // dict and OrderedDict: insertion order is kept
    Global,
    Storage,
    Tensor,
};

struct Node {
    Kind kind = Kind::None;
    int64_t integer = 0; // Bool, Int; Storage: element count
    double real = 0.0;
    std::string text;            // String, Bytes, Global ("module.name"), Storage: record key
    std::vector<uint32_t> items; // Tuple, List: elements; Dict: key, value, key, value, ...
    // Storage and Tensor
    DType dtype = DType::F32;
    std::string location; // Storage: "cpu", "cuda:0", ...
    // Tensor: a strided view of the storage node items[0]
    int64_t offset = 0;
    std::vector<int64_t> shape;
    std::vector<int64_t> strides;
};

struct Document {
    std::vector<Node> nodes;
    uint32_t root = 0;
    const Node& at(uint32_t id) const { return nodes[id]; }
};

// Throws WeightsError(path, "", "<what> byte N: problem").
Document unpickle(const uint8_t* data, size_t size, const std::string& path,
                  const std::string& what = "data.pkl");

} // namespace sfs::inference::io::pickle
