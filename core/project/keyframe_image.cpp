#include "sfs/core/project/keyframe_image.h"

#include "sfs/core/media/image_file.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sfs::core {

namespace {

// One axis of a resampling: for each output pixel, the source pixels and their weights.
struct AxisWeights {
    std::vector<int> first;    // first source index per output pixel
    std::vector<int> count;    // number of taps per output pixel
    std::vector<float> weight; // count[i] weights per output pixel, concatenated
    std::vector<int> offset;   // start of pixel i's weights in `weight`
};

// Output pixels 0..outLen-1 sample the source interval [start, start + length) of a source axis
// with inLen pixels. A triangle filter, widened to the source footprint when shrinking.
AxisWeights axisWeights(int inLen, double start, double length, int outLen) {
    AxisWeights w;
    const double scale = length / outLen; // source pixels per output pixel
    const double radius = std::max(1.0, scale);
    const int lo = std::clamp(static_cast<int>(std::floor(start)), 0, inLen - 1);
    const int hi = std::clamp(static_cast<int>(std::ceil(start + length)) - 1, lo, inLen - 1);
    for (int i = 0; i < outLen; ++i) {
        const double centre = start + (i + 0.5) * scale;
        const int from = std::clamp(static_cast<int>(std::floor(centre - radius)), lo, hi);
        const int to = std::clamp(static_cast<int>(std::ceil(centre + radius)), lo, hi);
        std::vector<float> taps(static_cast<size_t>(to - from + 1), 0.0f);
        double sum = 0.0;
        // Taps beyond the source rectangle repeat its edge pixels.
        for (int j = static_cast<int>(std::floor(centre - radius));
             j <= static_cast<int>(std::ceil(centre + radius)); ++j) {
            const double d = std::abs((j + 0.5 - centre) / radius);
            if (d >= 1.0) {
                continue;
            }
            const double tap = 1.0 - d;
            taps[static_cast<size_t>(std::clamp(j, lo, hi) - from)] += static_cast<float>(tap);
            sum += tap;
        }
        int first = -1;
        int last = -1;
        for (size_t k = 0; k < taps.size(); ++k) {
            if (taps[k] != 0.0f) {
                first = first < 0 ? static_cast<int>(k) : first;
                last = static_cast<int>(k);
            }
        }
        if (first < 0) { // cannot happen with radius >= 1; keep the nearest pixel regardless
            first = last = 0;
            taps[0] = 1.0f;
            sum = 1.0;
        }
        w.first.push_back(from + first);
        w.count.push_back(last - first + 1);
        w.offset.push_back(static_cast<int>(w.weight.size()));
        for (int k = first; k <= last; ++k) {
            w.weight.push_back(static_cast<float>(taps[static_cast<size_t>(k)] / sum));
        }
    }
    return w;
}

// Resamples the source rectangle (x0, y0, sw, sh) of `image` into an outW × outH float image.
std::vector<float> resample(const Frame& image, double x0, double y0, double sw, double sh,
                            int outW, int outH) {
    const AxisWeights wx = axisWeights(image.width(), x0, sw, outW);
    const AxisWeights wy = axisWeights(image.height(), y0, sh, outH);
    // Horizontal pass: image.height() rows of outW pixels.
    std::vector<float> rows(static_cast<size_t>(image.height()) * outW * 3);
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < outW; ++x) {
            float acc[3] = {0, 0, 0};
            for (int k = 0; k < wx.count[x]; ++k) {
                const float wt = wx.weight[static_cast<size_t>(wx.offset[x] + k)];
                const uint8_t* p = image.constRow(y) + 3 * (wx.first[x] + k);
                for (int c = 0; c < 3; ++c) {
                    acc[c] += wt * p[c];
                }
            }
            float* out = &rows[(static_cast<size_t>(y) * outW + x) * 3];
            std::copy(acc, acc + 3, out);
        }
    }
    // Vertical pass.
    std::vector<float> result(static_cast<size_t>(outH) * outW * 3);
    for (int y = 0; y < outH; ++y) {
        for (int x = 0; x < outW; ++x) {
            float acc[3] = {0, 0, 0};
            for (int k = 0; k < wy.count[y]; ++k) {
                const float wt = wy.weight[static_cast<size_t>(wy.offset[y] + k)];
                const float* p = &rows[(static_cast<size_t>(wy.first[y] + k) * outW + x) * 3];
                for (int c = 0; c < 3; ++c) {
                    acc[c] += wt * p[c];
                }
            }
            std::copy(acc, acc + 3, &result[(static_cast<size_t>(y) * outW + x) * 3]);
        }
    }
    return result;
}

uint8_t toByte(float v) {
    return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L));
}

} // namespace

Frame fitImage(const Frame& image, int width, int height, FitMode mode) {
    if (image.isNull() || width <= 0 || height <= 0) {
        return {};
    }
    Frame out(width, height); // black, the bars of Fit

    double x0 = 0, y0 = 0, sw = image.width(), sh = image.height(); // source rectangle
    int dx = 0, dy = 0, dw = width, dh = height;                    // destination rectangle
    const double sx = static_cast<double>(width) / image.width();
    const double sy = static_cast<double>(height) / image.height();
    if (mode == FitMode::Cover) {
        const double s = std::max(sx, sy);
        sw = width / s;
        sh = height / s;
        x0 = (image.width() - sw) / 2;
        y0 = (image.height() - sh) / 2;
    } else if (mode == FitMode::Fit) {
        const double s = std::min(sx, sy);
        dw = std::clamp(static_cast<int>(std::lround(image.width() * s)), 1, width);
        dh = std::clamp(static_cast<int>(std::lround(image.height() * s)), 1, height);
        dx = (width - dw) / 2;
        dy = (height - dh) / 2;
    }
    const std::vector<float> r = resample(image, x0, y0, sw, sh, dw, dh);
    for (int y = 0; y < dh; ++y) {
        uint8_t* row = out.row(dy + y);
        for (int x = 0; x < dw; ++x) {
            const float* p = &r[(static_cast<size_t>(y) * dw + x) * 3];
            for (int c = 0; c < 3; ++c) {
                row[3 * (dx + x) + c] = toByte(p[c]);
            }
        }
    }
    return out;
}

Frame loadFittedImage(const QString& path, int width, int height, FitMode mode, QString* error) {
    const Frame decoded = readImageFile(path, error, ImageFormats::Importable);
    return decoded.isNull() ? Frame() : fitImage(decoded, width, height, mode);
}

double fitUpscale(QSize source, int width, int height, FitMode mode) {
    if (source.isEmpty() || width <= 0 || height <= 0) {
        return 1.0;
    }
    const double sx = double(width) / source.width();
    const double sy = double(height) / source.height();
    // Cover scales both axes by the larger factor, fit by the smaller; stretch by each.
    return mode == FitMode::Fit ? std::min(sx, sy) : std::max(sx, sy);
}

std::vector<std::uint8_t> packedRgb(const Frame& frame) {
    const auto rowBytes = static_cast<size_t>(frame.width()) * 3;
    std::vector<std::uint8_t> rgb(rowBytes * static_cast<size_t>(frame.height()));
    for (int y = 0; y < frame.height(); ++y) {
        std::copy_n(frame.constRow(y), rowBytes, rgb.data() + rowBytes * static_cast<size_t>(y));
    }
    return rgb;
}

} // namespace sfs::core
