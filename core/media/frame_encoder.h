#pragma once
// The part of a writer that differs per format. QueuedFrameWriter calls open() on the producer
// thread, then encode() and complete()/discard() on its writer thread, never concurrently.

#include "sfs/core/media/export_options.h"
#include "sfs/core/media/frame_sink.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <stdexcept>

namespace sfs::core::media_detail {

// A failure with the message the user sees (naming the file and the problem).
class MediaError : public std::runtime_error {
public:
    explicit MediaError(const QString& message)
        : std::runtime_error(message.toStdString()), m_message(message) {}
    const QString& message() const { return m_message; }

private:
    QString m_message;
};

class FrameEncoder {
public:
    virtual ~FrameEncoder() = default;

    // The target file or pattern, for messages.
    virtual QString outputPath() const = 0;
    // Checks the options and prepares the temporary output; appends notices for the user.
    // Throws MediaError, leaving nothing behind.
    virtual void open(const StreamFormat& format, QStringList& notices) = 0;
    // Encodes one frame of the size given to open(). Throws MediaError.
    virtual void encode(const Frame& frame) = 0;
    // Completes the output from the frames encoded so far and moves it into place. Throws
    // MediaError; the caller then calls discard().
    virtual void complete() = 0;
    // Removes everything this export wrote; files that existed before stay untouched.
    virtual void discard() noexcept = 0;
};

// "832×480", for messages.
QString sizeText(QSize size);

// The provenance option as a JSON object (empty when none was given). Throws MediaError naming
// `path` when it is not a JSON object.
QJsonObject parseProvenanceOption(const QByteArray& json, const QString& path);

// The size frames of `input` are scaled to (scaledFrameSize()). Throws MediaError naming `path`
// when the requested size is unusable.
QSize checkedScaledSize(QSize input, const WriterOptions& options, const QString& path);

} // namespace sfs::core::media_detail
