#include "io/model_loader.h"

#include "io/json.h"
#include "io/safetensors.h"

#include <ATen/ATen.h>

namespace sfs::inference::io {

namespace {

std::string roleTitle(ModelRole role) {
    switch (role) {
    case ModelRole::Dit:
        return "a DiT (diffusion model)";
    case ModelRole::Vae:
        return "a VAE";
    case ModelRole::TextEncoder:
        return "a text encoder";
    case ModelRole::Taehv:
        return "a TAEHV preview decoder";
    case ModelRole::Vace:
        return "VACE blocks";
    default:
        return "no known model";
    }
}

// ComfyUI's per-layer quantisation description: {"format": "float8_e4m3fn", ...} as bytes.
void checkQuantConfig(const TensorFile& file, const std::string& name) {
    const at::Tensor bytes = file.load(name, at::kByte).contiguous();
    const std::string text(reinterpret_cast<const char*>(bytes.data_ptr<uint8_t>()),
                           static_cast<size_t>(bytes.numel()));
    std::string format;
    try {
        const json::Value v = json::parse(text);
        if (const json::Value* f = v.find("format"); f != nullptr && f->isString()) {
            format = f->asString();
        }
    } catch (const std::exception&) {
        throw WeightsError(file.path(), name, "quantisation description is not valid JSON");
    }
    if (format != "float8_e4m3fn" && format != "float8_e5m2") {
        throw WeightsError(file.path(), name,
                           "quantisation format '" + format +
                               "' is not supported (only float8 scaled weights are)");
    }
}

// fp8 value x per-tensor (or per-output-channel) scale, in float32.
at::Tensor dequantize(const TensorFile& file, const TensorEntry& weight,
                      const std::string& scaleName) {
    if (!isFloat8(weight.dtype)) {
        throw WeightsError(file.path(), weight.name,
                           std::string("has a quantisation scale but is stored as ") +
                               dtypeName(weight.dtype) +
                               "; only float8 scaled weights are supported");
    }
    at::Tensor scale = file.load(scaleName, at::kFloat).reshape({-1});
    at::Tensor value = file.load(weight.name, at::kFloat);
    if (scale.numel() == 1) {
        return value.mul_(scale[0]);
    }
    if (!weight.shape.empty() && scale.numel() == weight.shape[0]) {
        std::vector<int64_t> shape(weight.shape.size(), 1);
        shape[0] = weight.shape[0];
        return value.mul_(scale.reshape(shape));
    }
    throw WeightsError(file.path(), scaleName,
                       "scale of " + std::to_string(scale.numel()) +
                           " values fits neither the whole tensor nor its output channels");
}

} // namespace

Weights loadModelWeights(const std::string& path, ModelRole role, const LoadOptions& options,
                         RoleCheck* checkOut) {
    const std::unique_ptr<TensorFile> file = TensorFile::open(path, options.section);
    RoleCheck identity = identifyRole(*file);
    if (identity.role != role) {
        if (identity.role != ModelRole::Unknown) {
            throw WeightsError(path, "",
                               "holds " + roleTitle(identity.role) + ", not " + roleTitle(role));
        }
        identity = checkRole(role, *file);
    }
    const RoleCheck& check = identity;
    if (!check.ok()) {
        std::string tensor;
        if (!check.missing.empty()) {
            tensor = check.missing.front();
        } else if (!check.wrongShapes.empty()) {
            tensor = check.wrongShapes.front().substr(0, check.wrongShapes.front().find(':'));
        } else if (!check.unknown.empty()) {
            tensor = check.unknown.front();
        }
        std::string message = "not usable as " + roleTitle(role) + ":";
        for (const std::string& line : check.describeProblems()) {
            message += " " + line + ";";
        }
        message.pop_back();
        throw WeightsError(path, tensor, message);
    }
    for (const std::string& q : check.keys.quantConfigs) {
        checkQuantConfig(*file, q);
    }

    Weights weights(path + (file->section().empty() ? "" : " [" + file->section() + "]"));
    for (const auto& [canonical, source] : check.keys.tensors) {
        const TensorEntry& entry = *file->find(source);
        auto scale = check.keys.scaleOf.find(canonical);
        if (scale != check.keys.scaleOf.end()) {
            weights.insert(
                canonical,
                dequantize(*file, entry, scale->second).to(options.device, options.dtype));
            file->releasePages(source);
            continue;
        }
        bool aliases = false;
        weights.insert(canonical, file->load(source, options.dtype, options.device, &aliases));
        if (!aliases) {
            file->releasePages(source);
        }
    }
    if (checkOut != nullptr) {
        *checkOut = check;
    }
    return weights;
}

} // namespace sfs::inference::io
