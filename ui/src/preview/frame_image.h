#pragma once
// The image the preview shows for a frame: RGB32, the format its video frames are made from
// (PreviewWidget::toVideoFrame copies it as is). Converting costs a pass over the pixels: call it
// off the UI thread (the take's decoder and LatestFrameMailbox::put() do).

#include "sfs/core/media/frame.h"

#include <QImage>

namespace sfs::ui {

inline QImage previewImage(const core::Frame& frame) {
    const QImage rgb(frame.constData(), frame.width(), frame.height(), frame.stride(),
                     QImage::Format_RGB888);
    return rgb.convertToFormat(QImage::Format_RGB32); // a copy: `rgb` only borrows the pixels
}

} // namespace sfs::ui
