#pragma once
// Where an export carries its provenance JSON, and reading it back: MP4/MOV metadata, or a
// sidecar .json beside an image sequence. The JSON itself is opaque here; what it holds (the
// project an export reopens as) is sfs/core/render/provenance.h.

#include <QJsonObject>
#include <QString>

namespace sfs::core {

// The metadata key under which MP4/MOV exports store the provenance JSON.
inline constexpr char kProvenanceMetadataKey[] = "org.sfstudio.provenance";

// The sidecar written next to an image sequence: "shot/frame_%04d.png" → "shot/frame.sfstudio.json"
// (the pattern's text before the number, trailing separators dropped; "sequence" when empty).
QString sequenceSidecarPath(const QString& pattern);

// The provenance object stored in an exported MP4/MOV (its metadata) or in a sequence sidecar
// (.json). False, with a message naming the file, when the file cannot be read or carries no
// sfstudio provenance.
bool readProvenance(const QString& path, QJsonObject* provenance, QString* error);

} // namespace sfs::core
