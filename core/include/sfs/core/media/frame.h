#pragma once
// The one RGB image type: video frames, decoded keyframe images (media/image_file.h) and what
// the writers take. 8-bit sRGB, rows of `stride` bytes, implicitly shared (copying a Frame copies
// a pointer; writing to a shared one detaches it), so frames cross threads and queues without
// copying pixels.

#include <QByteArray>
#include <QSize>

#include <cstdint>

namespace sfs::core {

class Frame {
public:
    Frame() = default;
    // A black frame of width × height (rows packed: stride = 3 · width). Throws
    // std::invalid_argument for a non-positive or absurdly large size.
    Frame(int width, int height);
    // A copy of caller-owned RGB8 pixels whose rows are `stride` bytes apart (≥ 3 · width).
    static Frame fromRgb(int width, int height, int stride, const std::uint8_t* pixels);

    bool isNull() const { return m_width == 0; }
    int width() const { return m_width; }
    int height() const { return m_height; }
    QSize size() const { return {m_width, m_height}; }
    int stride() const { return m_stride; } // bytes from one row to the next

    const std::uint8_t* constData() const;
    const std::uint8_t* constRow(int y) const { return constData() + qsizetype(y) * m_stride; }
    std::uint8_t* data(); // detaches
    std::uint8_t* row(int y) { return data() + qsizetype(y) * m_stride; }

    // Same size and the same pixel values (padding bytes at row ends are ignored).
    bool operator==(const Frame& other) const;
    bool operator!=(const Frame& other) const { return !(*this == other); }

private:
    QByteArray m_pixels;
    int m_width = 0;
    int m_height = 0;
    int m_stride = 0;
};

} // namespace sfs::core
