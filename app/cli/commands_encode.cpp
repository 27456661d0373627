// `sfstudio-cli encode`: a keyframe image -> the latent the engine lands on (issue 14), written
// exactly as generate() uses it, so users (and tests) can compare a take's stored latents with it.

#include "commands.h"
#include "sfs/build_config.h"

#if SFS_WITH_MEDIA

#include "sfs/core/project/keyframe_image.h"
#include "sfs/core/project/project.h"
#include "sfs/inference/engine.h"
#include "sfs/inference/latents_file.h"
#include "sfs/inference/runtime_info.h"

#include <QString>

#include <ostream>

namespace sfs::cli {

namespace {

int runEncode(const CommandLine& cmd, Context& ctx) {
    if (cmd.positional().size() != 1) {
        throw UsageError("expects one IMAGE file (and -o OUT.safetensors)");
    }
    const std::string output = cmd.str("output");
    if (output.empty()) {
        throw UsageError("needs -o OUT.safetensors");
    }
    const auto [width, height] = cmd.size("size");
    if (width <= 0 || height <= 0 || width % 16 != 0 || height % 16 != 0) {
        throw UsageError("option --size expects WxH in multiples of 16, got '" + cmd.str("size") +
                         "'");
    }
    const auto fit = core::fitModeFromString(QString::fromStdString(cmd.str("fit")));
    if (!fit) {
        throw UsageError("option --fit expects cover, fit or stretch, got '" + cmd.str("fit") +
                         "'");
    }
    const std::string position = cmd.str("position");
    if (position != "start" && position != "later") {
        throw UsageError("option --position expects start or later, got '" + position + "'");
    }
    const std::string problem = inference::deviceNameProblem(cmd.str("device"));
    if (!problem.empty()) {
        throw UsageError("option --device: " + problem);
    }
    inference::setCpuThreads(cmd.integer("threads"));

    const QString imagePath = QString::fromStdString(cmd.positional().front());
    QString error;
    const core::Frame fitted = core::loadFittedImage(imagePath, width, height, *fit, &error);
    if (fitted.isNull()) {
        ctx.err << "sfstudio-cli encode: " << error.toStdString() << "\n";
        return 1;
    }
    inference::KeyframeImage image;
    image.width = width;
    image.height = height;
    image.rgb = core::packedRgb(fitted);

    inference::DeviceRequest device;
    device.device = inference::parseDevice(cmd.str("device"));
    try {
        inference::Engine engine;
        const std::vector<float> latent =
            engine.encodeKeyframe(cmd.str("model"), device, image,
                                  position == "start" ? inference::KeyframePosition::Start
                                                      : inference::KeyframePosition::Later);
        inference::writeKeyframeLatentFile(output, {16, height / 8, width / 8}, latent);
    } catch (const std::exception& e) {
        ctx.err << "sfstudio-cli encode: " << e.what() << "\n";
        return 1;
    }
    ctx.out << "Wrote " << output << ": latent [16, " << height / 8 << ", " << width / 8
            << "] float32 (" << position << " keyframe, " << cmd.str("fit") << ")\n";
    return 0;
}

} // namespace

void registerEncodeCommands(Registry& registry) {
    registry.push_back(Command{
        "encode",
        "Encode a keyframe image to the latent a render lands on (tensor `latent` [16, H/8, W/8])",
        "IMAGE -o OUT.safetensors",
        {{"output", "OUT", "(-o) the .safetensors file to write", ""},
         {"model", "DIR", "model folder, or demo for the built-in one", "demo"},
         {"size", "WxH", "the project's video size (multiples of 16)", "832x480"},
         {"fit", "MODE", "how the image fills the size: cover, fit or stretch", "cover"},
         {"position", "WHERE", "start (frame 0, encoded alone) or later (a later frame)", "start"},
         {"device", "NAME", "auto, cpu, cuda or cuda:N", "auto"},
         {"threads", "N", "CPU threads for torch (0 = number of cores)", "0"}},
        runEncode,
        {{"-o", "output"}}});
}

} // namespace sfs::cli

#else

namespace sfs::cli {
void registerEncodeCommands(Registry&) {}
} // namespace sfs::cli

#endif
