#pragma once
// File names of an image sequence: "frame_%04d.png" or "frame_####.png".

#include <QRegularExpression>
#include <QString>

namespace sfs::core::media_detail {

class SequencePattern {
public:
    // Parses `path` (folder + name pattern). False with a message when the name has no frame
    // number or more than one.
    bool parse(const QString& path, QString* error);

    QString folder() const { return m_folder; }       // absolute
    QString namePattern() const { return m_name; }    // as given, e.g. "frame_%04d.png"
    QString extension() const { return m_extension; } // lower case, without the dot
    QString fileName(int number) const;               // "frame_0012.png"
    // True for names of this sequence with any number of digits ("frame_7.png", "frame_00012.png").
    bool matches(const QString& fileName) const;
    // "frame.sfstudio.json": the text before the number without trailing separators.
    QString sidecarName() const;

private:
    QString m_folder;
    QString m_name;
    QString m_prefix;
    QString m_suffix;
    QString m_extension;
    int m_digits = 0;
    QRegularExpression m_matcher;
};

} // namespace sfs::core::media_detail
