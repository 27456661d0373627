#include "sfs/build_config.h"

#if SFS_WITH_MEDIA

#include "export_dialog.h"
#include "sfs/core/media/encoders.h"
#include "sfs/core/project/timeline.h"
#include "sfs/core/render/provenance.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

namespace sfs::ui {

namespace {

const QString kVideo = QStringLiteral("video");

// The frame-number part a sequence pattern gets when the user typed a plain name.
const QString kFrameNumber = QStringLiteral("_%04d");

bool hasFrameNumber(const QString& name) {
    static const QRegularExpression number(QStringLiteral("%0?\\d*d|#+"));
    return name.contains(number);
}

} // namespace

ExportDialog::ExportDialog(const core::Project& project, const QString& destinationStem,
                           QWidget* parent)
    : QDialog(parent), m_project(project) {
    setObjectName(QStringLiteral("exportDialog"));
    setWindowTitle(tr("Export Take"));
    auto* form = new QFormLayout;

    m_take = new QComboBox(this);
    m_take->setObjectName(QStringLiteral("takeCombo"));
    QString error;
    const core::Take* newest = core::findTake(project, QString(), &error);
    for (const core::Take& t : project.takes) {
        m_take->addItem(
            tr("%1 — %2, seed %3")
                .arg(t.id, QLocale().toString(t.created.toLocalTime(), QLocale::ShortFormat))
                .arg(t.settings.seed),
            t.id);
    }
    if (newest != nullptr) {
        m_take->setCurrentIndex(m_take->findData(newest->id));
    }
    form->addRow(tr("Take:"), m_take);

    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("formatCombo"));
    m_format->addItem(tr("Video (MP4 or MOV)"), kVideo);
    m_format->addItem(tr("PNG sequence, 8-bit"), QStringLiteral("png8"));
    m_format->addItem(tr("PNG sequence, 16-bit"), QStringLiteral("png16"));
    m_format->addItem(tr("TIFF sequence, 8-bit"), QStringLiteral("tiff8"));
    m_format->addItem(tr("TIFF sequence, 16-bit"), QStringLiteral("tiff16"));
    m_format->addItem(tr("OpenEXR sequence, half float, linear"), QStringLiteral("exr"));
    m_format->addItem(tr("JPEG sequence"), QStringLiteral("jpeg"));
    form->addRow(tr("Format:"), m_format);

    m_encoder = new QComboBox(this);
    m_encoder->setObjectName(QStringLiteral("encoderCombo"));
    for (const core::VideoEncoderInfo& e : core::availableVideoEncoders()) {
        m_encoder->addItem(e.label, e.name);
    }
    form->addRow(tr("Codec:"), m_encoder);

    auto* quality = new QHBoxLayout;
    m_crf = new QSpinBox(this);
    m_crf->setObjectName(QStringLiteral("crfSpin"));
    m_crf->setToolTip(tr("Constant quality: lower is better and larger"));
    m_preset = new QComboBox(this);
    m_preset->setObjectName(QStringLiteral("presetCombo"));
    m_preset->setToolTip(tr("Slower presets make smaller files of the same quality"));
    quality->addWidget(new QLabel(tr("CRF"), this));
    quality->addWidget(m_crf);
    quality->addWidget(new QLabel(tr("Preset"), this));
    quality->addWidget(m_preset, 1);
    form->addRow(tr("Quality:"), quality);

    m_jpegQuality = new QSpinBox(this);
    m_jpegQuality->setObjectName(QStringLiteral("jpegQualitySpin"));
    m_jpegQuality->setRange(1, 100);
    m_jpegQuality->setValue(core::ImageSequenceOptions{}.jpegQuality);
    form->addRow(tr("JPEG quality:"), m_jpegQuality);

    auto* range = new QHBoxLayout;
    m_first = new QSpinBox(this);
    m_first->setObjectName(QStringLiteral("firstFrameSpin"));
    m_last = new QSpinBox(this);
    m_last->setObjectName(QStringLiteral("lastFrameSpin"));
    m_last->setMinimum(-1);
    m_last->setSpecialValueText(tr("Last frame"));
    range->addWidget(m_first);
    range->addWidget(new QLabel(tr("to"), this));
    range->addWidget(m_last);
    range->addStretch();
    form->addRow(tr("Frames:"), range);

    auto* size = new QHBoxLayout;
    m_originalSize = new QCheckBox(tr("Original size"), this);
    m_originalSize->setObjectName(QStringLiteral("originalSizeCheck"));
    m_originalSize->setChecked(true);
    m_width = new QSpinBox(this);
    m_width->setObjectName(QStringLiteral("widthSpin"));
    m_height = new QSpinBox(this);
    m_height->setObjectName(QStringLiteral("heightSpin"));
    for (QSpinBox* s : {m_width, m_height}) {
        s->setRange(0, 8192);
        s->setSpecialValueText(tr("Auto"));
        s->setToolTip(tr("Auto keeps the aspect ratio"));
        s->setEnabled(false);
        connect(m_originalSize, &QCheckBox::toggled, s, &QWidget::setDisabled);
    }
    m_width->setValue(project.settings.width);
    size->addWidget(m_originalSize);
    size->addWidget(m_width);
    size->addWidget(new QLabel(QStringLiteral("×"), this));
    size->addWidget(m_height);
    size->addStretch();
    form->addRow(tr("Size:"), size);

    auto* destination = new QHBoxLayout;
    m_destination = new QLineEdit(this);
    m_destination->setObjectName(QStringLiteral("destinationEdit"));
    m_destination->setMinimumWidth(360);
    m_destination->setText(destinationStem + QStringLiteral(".mp4"));
    auto* browse = new QPushButton(tr("Browse…"), this);
    browse->setObjectName(QStringLiteral("browseButton"));
    destination->addWidget(m_destination, 1);
    destination->addWidget(browse);
    form->addRow(tr("Save to:"), destination);

    m_keepPartial = new QCheckBox(tr("When cancelled, keep the frames already written"), this);
    m_keepPartial->setObjectName(QStringLiteral("keepPartialCheck"));
    m_provenance = new QCheckBox(tr("Embed the project, so the export reopens as a project"), this);
    m_provenance->setObjectName(QStringLiteral("provenanceCheck"));
    m_provenance->setChecked(true);
    form->addRow(QString(), m_keepPartial);
    form->addRow(QString(), m_provenance);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* exportButton = buttons->addButton(tr("Export"), QDialogButtonBox::AcceptRole);
    exportButton->setObjectName(QStringLiteral("exportButton"));
    exportButton->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &ExportDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_summary);
    layout->addWidget(buttons);

    connect(m_take, &QComboBox::currentIndexChanged, this, &ExportDialog::takeChanged);
    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::formatChanged);
    connect(m_encoder, &QComboBox::currentIndexChanged, this, &ExportDialog::encoderChanged);
    connect(browse, &QPushButton::clicked, this, &ExportDialog::browse);
    takeChanged();
    formatChanged();
}

int ExportDialog::takeFrameCount() const {
    const core::Take* take = m_project.take(m_take->currentData().toString());
    if (take == nullptr) {
        return 0;
    }
    return take->status == core::TakeStatus::Complete
               ? take->durationFrames
               : core::timeline::framesForChunks(take->chunksCompleted);
}

void ExportDialog::takeChanged() {
    const int last = std::max(0, takeFrameCount() - 1);
    m_first->setRange(0, last);
    m_last->setRange(-1, last);
    m_last->setValue(-1);
    const core::Take* take = m_project.take(m_take->currentData().toString());
    m_summary->setText(take == nullptr
                           ? QString()
                           : tr("%n frame(s) at %1×%2, 16 fps", nullptr, takeFrameCount())
                                 .arg(take->settings.width)
                                 .arg(take->settings.height));
}

bool ExportDialog::isVideo() const {
    return formatKey() == kVideo;
}

QString ExportDialog::formatKey() const {
    return m_format->currentData().toString();
}

void ExportDialog::formatChanged() {
    const bool video = isVideo();
    m_encoder->setEnabled(video && m_encoder->count() > 0);
    m_crf->setEnabled(video);
    m_preset->setEnabled(video);
    m_jpegQuality->setEnabled(formatKey() == QLatin1String("jpeg"));
    if (video) {
        encoderChanged();
    }
    m_destination->setText(fittedDestination(m_destination->text()));
}

void ExportDialog::encoderChanged() {
    const std::optional<core::VideoEncoderInfo> e =
        core::findVideoEncoder(m_encoder->currentData().toString());
    m_preset->clear();
    if (!e) {
        return;
    }
    m_crf->setEnabled(e->hasCrf && isVideo());
    m_crf->setRange(e->minCrf, e->maxCrf);
    m_crf->setValue(e->defaultCrf);
    m_preset->addItems(e->presets);
    m_preset->setCurrentText(e->defaultPreset);
    m_destination->setText(fittedDestination(m_destination->text()));
}

QString ExportDialog::fittedDestination(const QString& path) const {
    if (path.isEmpty()) {
        return path;
    }
    const QFileInfo info(path);
    QString base = info.completeBaseName();
    const QString folder = info.path();
    if (isVideo()) {
        const std::optional<core::VideoEncoderInfo> e =
            core::findVideoEncoder(m_encoder->currentData().toString());
        const QStringList containers = e ? e->containers : QStringList{QStringLiteral("mp4")};
        QString ext = info.suffix().toLower();
        if (!containers.contains(ext)) {
            ext = containers.value(0, QStringLiteral("mp4"));
        }
        // A sequence's frame number has no place in a video file's name.
        base.remove(QRegularExpression(QStringLiteral("[_.-]?(%0?\\d*d|#+)$")));
        return QDir(folder).filePath(base + QLatin1Char('.') + ext);
    }
    bool ok = false;
    const QString ext = core::imageFormatExtension(core::parseImageFormat(formatKey(), &ok));
    if (!hasFrameNumber(base)) {
        base += kFrameNumber;
    }
    return QDir(folder).filePath(base + QLatin1Char('.') + ext);
}

void ExportDialog::browse() {
    const QString current = m_destination->text();
    QString chosen;
    if (isVideo()) {
        chosen = QFileDialog::getSaveFileName(this, tr("Export Video"), current,
                                              tr("Videos (*.mp4 *.mov *.m4v)"));
    } else {
        // A sequence is a folder plus a name pattern: pick the folder, keep the pattern.
        const QString folder = QFileDialog::getExistingDirectory(
            this, tr("Export Image Sequence To"), QFileInfo(current).path());
        if (!folder.isEmpty()) {
            chosen = QDir(folder).filePath(QFileInfo(current).fileName());
        }
    }
    if (!chosen.isEmpty()) {
        m_destination->setText(fittedDestination(chosen));
    }
}

core::TakeExportRequest ExportDialog::request() const {
    core::TakeExportRequest r;
    r.takeId = m_take->currentData().toString();
    r.output = m_destination->text().trimmed();
    r.range = {m_first->value(), m_last->value()};
    r.withProvenance = m_provenance->isChecked();
    core::WriterOptions common;
    if (!m_originalSize->isChecked()) {
        common.size = QSize(m_width->value(), m_height->value());
    }
    common.onCancel =
        m_keepPartial->isChecked() ? core::PartialOutput::Keep : core::PartialOutput::Remove;
    static_cast<core::WriterOptions&>(r.video) = common;
    static_cast<core::WriterOptions&>(r.sequence) = common;
    r.video.encoder = m_encoder->currentData().toString();
    r.video.crf = m_crf->isEnabled() ? m_crf->value() : -1;
    r.video.preset = m_preset->currentText();
    bool ok = false;
    r.sequence.format =
        isVideo() ? core::ImageFormat::Auto : core::parseImageFormat(formatKey(), &ok);
    r.sequence.jpegQuality = m_jpegQuality->value();
    r.sequence.firstNumber = m_first->value();
    return r;
}

void ExportDialog::accept() {
    const QString path = m_destination->text().trimmed();
    if (path.isEmpty()) {
        m_destination->setFocus();
        return;
    }
    m_destination->setText(fittedDestination(path));
    const core::TakeExportRequest r = request();
    if (!m_originalSize->isChecked() && m_width->value() == 0 && m_height->value() == 0) {
        m_width->setFocus();
        return;
    }
    // Replacing earlier work is the user's decision.
    const QString existing = isVideo() ? r.output : core::sequenceSidecarPath(r.output);
    if (QFileInfo::exists(existing)) {
        QMessageBox box(QMessageBox::Question, tr("Export Take"),
                        tr("“%1” already exists. Replace it?").arg(QFileInfo(r.output).fileName()),
                        QMessageBox::Yes | QMessageBox::Cancel, this);
        box.setObjectName(QStringLiteral("replaceMessage"));
        box.setDefaultButton(QMessageBox::Cancel);
        if (box.exec() != QMessageBox::Yes) {
            return;
        }
    }
    QDialog::accept();
}

} // namespace sfs::ui

#endif // SFS_WITH_MEDIA
