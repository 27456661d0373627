#include "sfs/core/media/frame.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace sfs::core {

namespace {
// Beyond any size the models or a 16K master would use; keeps byte counts far from overflow.
constexpr int kMaxSide = 32768;

void checkSize(int width, int height) {
    if (width <= 0 || height <= 0 || width > kMaxSide || height > kMaxSide) {
        throw std::invalid_argument("frame size " + std::to_string(width) + "x" +
                                    std::to_string(height) + " is outside 1.." +
                                    std::to_string(kMaxSide));
    }
}
} // namespace

Frame::Frame(int width, int height) {
    checkSize(width, height);
    m_width = width;
    m_height = height;
    m_stride = 3 * width;
    m_pixels = QByteArray(qsizetype(m_stride) * height, '\0');
}

Frame Frame::fromRgb(int width, int height, int stride, const std::uint8_t* pixels) {
    Frame f(width, height);
    if (stride < 3 * width || pixels == nullptr) {
        throw std::invalid_argument("Frame::fromRgb: stride " + std::to_string(stride) +
                                    " is less than 3 × width " + std::to_string(width));
    }
    std::uint8_t* dst = f.data();
    for (int y = 0; y < height; ++y) {
        std::memcpy(dst + qsizetype(y) * f.m_stride, pixels + qsizetype(y) * stride,
                    size_t(f.m_stride));
    }
    return f;
}

const std::uint8_t* Frame::constData() const {
    return reinterpret_cast<const std::uint8_t*>(m_pixels.constData());
}

std::uint8_t* Frame::data() {
    return reinterpret_cast<std::uint8_t*>(m_pixels.data());
}

bool Frame::operator==(const Frame& other) const {
    if (size() != other.size()) {
        return false;
    }
    for (int y = 0; y < m_height; ++y) {
        if (std::memcmp(constRow(y), other.constRow(y), size_t(3) * m_width) != 0) {
            return false;
        }
    }
    return true;
}

} // namespace sfs::core
