#pragma once
// The one interface every frame producer feeds: the generator, a take being re-encoded, a folder
// of images. Writers (MP4, image sequences) and, later, the preview implement it.

#include "sfs/core/media/frame.h"

#include <QSize>
#include <QString>

namespace sfs::core {

// Frames per second as a fraction (16/1 for the model's native rate, 24000/1001 for NTSC film).
struct FrameRate {
    int num = 16;
    int den = 1;

    bool isValid() const { return num > 0 && den > 0; }
    double value() const { return den > 0 ? double(num) / den : 0.0; }
    // "16", "24000/1001", "23.976" (→ 24000/1001), "29.97", "12.5" (→ 25/2). Returns an invalid
    // rate (0/0) for anything else.
    static FrameRate parse(const QString& text);
    QString toString() const; // "16" or "24000/1001"
};

// What the producer will send: every frame has this size.
struct StreamFormat {
    QSize frameSize;
    FrameRate rate;
};

class FrameSink {
public:
    virtual ~FrameSink() = default;

    // Prepares the output for frames of `format`. False (see errorString()) when the output
    // cannot be made: bad options, an unwritable folder, an encoder this build lacks.
    virtual bool begin(const StreamFormat& format) = 0;
    // Hands one frame over. May block while the sink catches up (backpressure). False once the
    // sink has failed; the export is then over and finish()/cancel() only clean up.
    virtual bool write(const Frame& frame) = 0;
    // Completes the output with every frame written so far. False when it could not be
    // completed; then nothing of this export is left behind.
    virtual bool finish() = 0;
    // Stops early. Whether the frames written so far are kept as a valid, shorter output or
    // removed is the sink's option (see PartialOutput). Safe from any thread.
    virtual bool cancel() = 0;
    // Ends the export after a failure on the producer's side (a frame that could not be made or
    // read): removes everything this export wrote, whatever the partial-output option says.
    virtual void abort() = 0;

    // The first problem met, naming the file and what went wrong; empty when there was none.
    virtual QString errorString() const = 0;
};

} // namespace sfs::core
