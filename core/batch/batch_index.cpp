#include "sfs/core/batch/batch_index.h"

#include "sfs/core/media/frame_source.h"
#include "sfs/core/project/project_file.h"
#include "sfs/core/project/save_file.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QUrl>

#include <memory>
#include <stdexcept>

namespace sfs::core {

namespace {

constexpr int kThumbnailWidth = 320;

QString html(const QString& text) {
    return text.toHtmlEscaped();
}

// A relative path as a URL path: each segment percent-encoded.
QString urlPath(const QString& relative) {
    QStringList segments = relative.split(QLatin1Char('/'));
    for (QString& segment : segments) {
        segment = QString::fromLatin1(QUrl::toPercentEncoding(segment));
    }
    return segments.join(QLatin1Char('/'));
}

// The first frame of an item's output as PNG bytes (at most kThumbnailWidth wide); empty with
// `problem` set when it cannot be read.
QByteArray firstFramePng(const BatchItem& item, BatchOutputKind kind, QString& problem) {
    std::unique_ptr<FrameSource> source;
    if (kind == BatchOutputKind::Video) {
        auto video = std::make_unique<VideoFileSource>();
        if (!video->open(item.output, &problem)) {
            return {};
        }
        source = std::move(video);
    } else {
        auto folder = std::make_unique<ImageFolderSource>();
        if (!folder->open(item.output, &problem)) {
            return {};
        }
        source = std::move(folder);
    }
    if (source->frameCount() < 1) {
        problem = QStringLiteral("%1 holds no frames").arg(item.output);
        return {};
    }
    const Frame frame = source->frame(0, &problem);
    if (frame.isNull()) {
        return {};
    }
    QImage image(frame.constData(), frame.width(), frame.height(), frame.stride(),
                 QImage::Format_RGB888);
    if (image.width() > kThumbnailWidth) {
        image = image.scaledToWidth(kThumbnailWidth, Qt::SmoothTransformation);
    }
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    if (!image.save(&buffer, "PNG")) {
        problem = QStringLiteral("%1: the first frame could not be encoded").arg(item.output);
        return {};
    }
    return png;
}

void save(const QString& path, const QByteArray& bytes) {
    if (const QString problem = saveFileAtomically(path, bytes); !problem.isEmpty()) {
        throw std::runtime_error(QStringLiteral("%1: %2").arg(path, problem).toStdString());
    }
}

} // namespace

QString batchIndexFolder(const Batch& batch) {
    QStringList common;
    bool first = true;
    for (const BatchItem& item : batch.items) {
        const QStringList parts = QFileInfo(item.output).absolutePath().split(QLatin1Char('/'));
        if (first) {
            common = parts;
            first = false;
            continue;
        }
        qsizetype n = 0;
        while (n < common.size() && n < parts.size() && common[n] == parts[n]) {
            ++n;
        }
        common = common.mid(0, n);
    }
    const QString folder = common.join(QLatin1Char('/'));
    return folder.isEmpty() ? QStringLiteral("/") : folder;
}

BatchIndex writeBatchIndex(const Batch& batch) {
    BatchIndex index;
    const QDir folder(batchIndexFolder(batch));
    index.path = folder.filePath(QStringLiteral("index.html"));
    const QString files = folder.filePath(QStringLiteral("index_files"));
    if (!QDir().mkpath(files)) {
        throw std::runtime_error(
            QStringLiteral("%1: the folder cannot be created").arg(files).toStdString());
    }
    QString cards;
    for (const BatchItem& item : batch.items) {
        const QString project = projectNameFor(item.project);
        const bool done = QFileInfo::exists(item.output);
        QString picture;
        if (done) {
            ++index.itemsDone;
            QString problem;
            const QByteArray png = firstFramePng(item, batch.outputKind, problem);
            if (png.isEmpty()) {
                index.notices << problem;
                picture = QStringLiteral("<div class=\"missing\">first frame unreadable</div>");
            } else {
                const QString name = QStringLiteral("item-%1.png").arg(paddedItemIndex(item.index));
                save(QDir(files).filePath(name), png);
                picture = QStringLiteral("<img src=\"index_files/%1\" alt=\"first frame of item "
                                         "%2\">")
                              .arg(name, QString::number(item.index));
            }
        } else {
            picture = QStringLiteral("<div class=\"missing\">not rendered yet</div>");
        }
        const QString link = urlPath(folder.relativeFilePath(item.output));
        const QString shown = html(folder.relativeFilePath(item.output));
        cards += QStringLiteral("<figure class=\"%1\">\n")
                     .arg(done ? QStringLiteral("done") : QStringLiteral("pending"));
        cards += done ? QStringLiteral("  <a href=\"%1\">%2</a>\n").arg(link, picture)
                      : QStringLiteral("  %1\n").arg(picture);
        cards += QStringLiteral("  <figcaption><b>item %1</b> &middot; %2 &middot; seed %3<br>"
                                "%4</figcaption>\n</figure>\n")
                     .arg(paddedItemIndex(item.index), html(project), QString::number(item.seed),
                          done ? QStringLiteral("<a href=\"%1\">%2</a>").arg(link, shown) : shown);
    }
    const QString title = html(QFileInfo(batch.file).fileName());
    const QString page =
        QStringLiteral(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<title>%1</title>\n<style>\n"
            "body { font-family: sans-serif; margin: 1.5em; background: #f4f4f4; }\n"
            "figure { display: inline-block; vertical-align: top; margin: 0 1em 1em 0; "
            "background: #fff; padding: 0.5em; width: %2px; }\n"
            "figure img { max-width: 100%; display: block; }\n"
            ".missing { height: 90px; color: #888; display: flex; align-items: center; "
            "justify-content: center; border: 1px dashed #bbb; }\n"
            "figcaption { font-size: 0.85em; margin-top: 0.4em; word-break: break-all; }\n"
            "</style>\n</head>\n<body>\n<h1>%1</h1>\n<p>%3 of %4 items rendered.</p>\n%5"
            "</body>\n</html>\n")
            .arg(title, QString::number(kThumbnailWidth), QString::number(index.itemsDone),
                 QString::number(batch.items.size()), cards);
    save(index.path, page.toUtf8());
    return index;
}

} // namespace sfs::core
