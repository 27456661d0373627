#pragma once
// Writes frames to an MP4 (or QuickTime .mov) file with libavformat/libavcodec.
//
// - Encoder, CRF and preset from VideoOptions (H.264/libx264, yuv420p, CRF 18, preset medium
//   by default); the container comes from the extension (.mp4, .m4v, .mov; ProRes needs .mov).
// - RGB → Y'CbCr with libswscale using BT.709 coefficients, limited ("tv") range; the stream is
//   tagged BT.709 primaries, transfer and matrix, tv range.
// - Timestamps count frames at the stream's rate (frame n at n / fps), starting at 0.
// - Sizes must be even for 4:2:0/4:2:2: frames exported at their own odd size are padded by one
//   column/row that repeats the edge (pixels are never resampled), and notices() says so; a
//   scaled size is rounded down to even (never beyond the requested size).
// - The moov index goes to the front (+faststart) so players start before the whole file loads.
// - Metadata: VideoOptions::metadata as tags, the provenance JSON under the key
//   kProvenanceMetadataKey (see provenance.h), and creation_time.
// - The file is written under a hidden temporary name in the same folder and renamed over the
//   target when complete, so an existing file is replaced only by a complete one.

#include "sfs/core/media/export_options.h"
#include "sfs/core/media/queued_frame_writer.h"

namespace sfs::core {

class Mp4Writer : public QueuedFrameWriter {
public:
    Mp4Writer(const QString& path, const VideoOptions& options = {});
};

} // namespace sfs::core
