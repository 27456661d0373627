#include "sfs/core/media/test_pattern.h"

#include <algorithm>
#include <cmath>

namespace sfs::core {

namespace {

// A small integer hash: grain that is the same on every run and machine.
std::uint32_t hash(std::uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

float smoothstep(float e0, float e1, float x) {
    const float t = std::clamp((x - e0) / (e1 - e0), 0.0f, 1.0f);
    return t * t * (3.0f - 2.0f * t);
}

struct Blob {
    float cx, cy, radius, vx, vy;
    float r, g, b;
};

} // namespace

Frame makeTestPatternFrame(int width, int height, int index, std::uint32_t seed) {
    Frame frame(width, height);
    const float t = float(index);
    const float w = float(width);
    const float h = float(height);
    const float s = float(seed % 97) * 0.37f;
    const Blob blobs[] = {
        {0.30f, 0.40f, 0.18f, 0.0040f, 0.0020f, 0.90f, 0.35f, 0.20f},
        {0.65f, 0.55f, 0.22f, -0.0030f, 0.0025f, 0.20f, 0.60f, 0.85f},
        {0.50f, 0.25f, 0.12f, 0.0020f, -0.0035f, 0.95f, 0.85f, 0.30f},
    };
    for (int y = 0; y < height; ++y) {
        std::uint8_t* row = frame.row(y);
        const float v = float(y) / h;
        for (int x = 0; x < width; ++x) {
            const float u = float(x) / w;
            // A slowly drifting sky-to-ground gradient.
            float r = 0.15f + 0.35f * v + 0.10f * std::sin(2.0f * u + 0.03f * t + s);
            float g = 0.25f + 0.30f * (1.0f - v) + 0.08f * std::sin(3.0f * v - 0.02f * t);
            float b = 0.55f - 0.30f * v + 0.10f * std::cos(2.5f * u + 0.025f * t);
            for (const Blob& bl : blobs) {
                const float cx = bl.cx + bl.vx * t;
                const float cy = bl.cy + bl.vy * t;
                const float dx = (u - cx) * w / h;
                const float dy = v - cy;
                const float d = std::sqrt(dx * dx + dy * dy);
                // Soft edges a few pixels wide, and shading inside like a lit ball.
                const float a = 1.0f - smoothstep(bl.radius - 0.015f, bl.radius, d);
                const float shade = 0.75f + 0.25f * (1.0f - d / bl.radius);
                r += a * (bl.r * shade - r);
                g += a * (bl.g * shade - g);
                b += a * (bl.b * shade - b);
            }
            // Mild grain: ±2 codes.
            const std::uint32_t n =
                hash(std::uint32_t(x) * 73856093U ^ std::uint32_t(y) * 19349663U ^
                     std::uint32_t(index) * 83492791U ^ seed);
            const float grain = (float(n & 0xffU) / 255.0f - 0.5f) * (4.0f / 255.0f);
            row[3 * x + 0] = std::uint8_t(std::lround(std::clamp(r + grain, 0.0f, 1.0f) * 255.0f));
            row[3 * x + 1] = std::uint8_t(std::lround(std::clamp(g + grain, 0.0f, 1.0f) * 255.0f));
            row[3 * x + 2] = std::uint8_t(std::lround(std::clamp(b + grain, 0.0f, 1.0f) * 255.0f));
        }
    }
    return frame;
}

} // namespace sfs::core
