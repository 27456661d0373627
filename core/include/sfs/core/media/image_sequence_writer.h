#pragma once
// Writes frames as numbered image files with OpenImageIO.
//
// - The path is a pattern with one frame number: "shot/frame_%04d.png" (printf style) or
//   "shot/frame_####.png" (one # per digit). Numbers start at ImageSequenceOptions::firstNumber
//   and are zero-padded to the given width (wider numbers simply use more digits).
// - PNG and TIFF, 8 or 16 bits (16-bit values are the 8-bit ones × 257, exactly), JPEG with a
//   quality, EXR half float. Colour: PNG/TIFF/JPEG carry the frames' sRGB values; EXR holds
//   linear light — each value decoded with the sRGB transfer function (IEC 61966-2-1), Rec.709
//   primaries, D65, tagged with those chromaticities.
// - Files are written into a hidden temporary folder inside the target folder and moved into
//   place by finish(): an earlier sequence of the same name (every file the pattern matches) is
//   replaced as a whole, never half-overwritten; if a move fails, the earlier files are put back.
// - A sidecar "<name>.sfstudio.json" next to the frames records the frame rate, size, numbering
//   and format, and the provenance JSON (see provenance.h).

#include "sfs/core/media/export_options.h"
#include "sfs/core/media/queued_frame_writer.h"

namespace sfs::core {

class ImageSequenceWriter : public QueuedFrameWriter {
public:
    ImageSequenceWriter(const QString& pattern, const ImageSequenceOptions& options = {});
};

} // namespace sfs::core
