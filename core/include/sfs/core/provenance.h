#pragma once
// Reading back how an export was made, so an exported clip can be reopened as a project.

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
