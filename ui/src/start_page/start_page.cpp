#include "start_page/start_page.h"

#include "model_setup/model_setup_dialog.h"
#include "sfs/ui/job.h"
#include "sfs/ui/recent_files.h"
#include "start_page/project_thumbnails.h"

#include <QApplication>
#include <QDir>
#include <QEvent>
#include <QFileInfo>
#include <QFrame>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QScrollArea>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

namespace sfs::ui {

namespace {

const QSize kThumbnailSize(160, 90);

QString folderForDisplay(const QString& path) {
    return QDir::toNativeSeparators(QFileInfo(path).path());
}

// A heading: the label's font, larger and bold.
void makeHeading(QLabel* label, qreal scale) {
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * scale);
    font.setBold(true);
    label->setFont(font);
}

// A recent project's row: its picture, then its name in bold over its folder and date (the
// item's text, one line each), greyed when the file is gone.
class RecentProjectDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override {
        QStyleOptionViewItem opt = option;
        initStyleOption(&opt, index);
        QStyle* style = opt.widget != nullptr ? opt.widget->style() : QApplication::style();
        style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, opt.widget);
        const QRect box = opt.rect.adjusted(kPadding, kPadding, -kPadding, -kPadding);
        const QRect iconRect(box.topLeft(), kThumbnailSize);
        opt.icon.paint(painter, iconRect);
        const bool missing = !index.data(StartPage::PathExistsRole).toBool();
        const bool selected = (opt.state & QStyle::State_Selected) != 0;
        const QPalette::ColorGroup group = missing ? QPalette::Disabled : QPalette::Normal;
        painter->save();
        painter->setPen(
            opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text));
        // The item's own text: the style option's has its line breaks made line separators.
        const QStringList lines = index.data(Qt::DisplayRole).toString().split(QLatin1Char('\n'));
        QRect text = box.adjusted(kThumbnailSize.width() + 12, 0, 0, 0);
        QFont nameFont = opt.font;
        nameFont.setBold(true);
        nameFont.setPointSizeF(nameFont.pointSizeF() * 1.25);
        // Every attribute set: QPainter::setFont() fills unset ones from the font it had.
        QFont detailFont = opt.font;
        detailFont.setBold(false);
        detailFont.setPointSizeF(opt.font.pointSizeF());
        const QFontMetrics nameMetrics(nameFont);
        const QFontMetrics metrics(detailFont);
        const int height = nameMetrics.height() + metrics.height() * int(lines.size() - 1);
        text.setTop(box.top() + (box.height() - height) / 2);
        painter->setFont(nameFont);
        painter->drawText(text, Qt::AlignLeft | Qt::AlignTop,
                          nameMetrics.elidedText(lines.value(0), Qt::ElideRight, text.width()));
        text.setTop(text.top() + nameMetrics.height());
        painter->setFont(detailFont);
        for (const QString& line : lines.mid(1)) {
            painter->drawText(text, Qt::AlignLeft | Qt::AlignTop,
                              metrics.elidedText(line, Qt::ElideMiddle, text.width()));
            text.setTop(text.top() + metrics.height());
        }
        painter->restore();
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override {
        const QSize base = QStyledItemDelegate::sizeHint(option, index);
        return {base.width(), kThumbnailSize.height() + 2 * kPadding};
    }

private:
    static constexpr int kPadding = 4;
};

} // namespace

StartPage::StartPage(RecentFiles* recentFiles, const QString& recoveryDir, QWidget* parent)
    : QWidget(parent), m_recentFiles(recentFiles), m_recoveryDir(recoveryDir),
      m_thumbnails(new ProjectThumbnails(kThumbnailSize, this)) {
    setObjectName(QStringLiteral("startPage"));

    // The page's content in a column of readable width, centred, scrolling when the window is
    // small.
    auto* scroll = new QScrollArea(this);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidgetResizable(true);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    auto* canvas = new QWidget(scroll);
    scroll->setWidget(canvas);
    auto* canvasLayout = new QHBoxLayout(canvas);
    auto* column = new QWidget(canvas);
    column->setMaximumWidth(920);
    canvasLayout->addStretch(1);
    canvasLayout->addWidget(column, 12);
    canvasLayout->addStretch(1);
    auto* layout = new QVBoxLayout(column);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->setSpacing(12);

    // Title.
    auto* header = new QHBoxLayout;
    auto* icon = new QLabel(column);
    icon->setPixmap(QIcon(QStringLiteral(":/icons/sfstudio-64.png")).pixmap(48, 48));
    m_title = new QLabel(column);
    makeHeading(m_title, 1.8);
    m_subtitle = new QLabel(column);
    m_subtitle->setWordWrap(true);
    auto* titles = new QVBoxLayout;
    titles->setSpacing(2);
    titles->addWidget(m_title);
    titles->addWidget(m_subtitle);
    header->addWidget(icon, 0, Qt::AlignTop);
    header->addSpacing(8);
    header->addLayout(titles, 1);
    layout->addLayout(header);

    // What to do.
    auto* actions = new QHBoxLayout;
    m_newButton = new QPushButton(column);
    m_newButton->setObjectName(QStringLiteral("startNewButton"));
    m_openButton = new QPushButton(column);
    m_openButton->setObjectName(QStringLiteral("startOpenButton"));
    m_sampleButton = new QPushButton(column);
    m_sampleButton->setObjectName(QStringLiteral("startSampleButton"));
    for (QPushButton* b : {m_newButton, m_openButton, m_sampleButton}) {
        b->setMinimumHeight(b->sizeHint().height() + 8);
        actions->addWidget(b);
    }
    actions->addStretch(1);
    connect(m_newButton, &QPushButton::clicked, this, &StartPage::newProjectRequested);
    connect(m_openButton, &QPushButton::clicked, this, &StartPage::openRequested);
    connect(m_sampleButton, &QPushButton::clicked, this, &StartPage::openSampleRequested);
    layout->addLayout(actions);

    auto* modelRow = new QHBoxLayout;
    m_defaultModel = new QLabel(column);
    m_defaultModel->setObjectName(QStringLiteral("defaultModelLabel"));
    m_defaultModel->setWordWrap(true);
    m_defaultModelButton = new QPushButton(column);
    m_defaultModelButton->setObjectName(QStringLiteral("defaultModelButton"));
    connect(m_defaultModelButton, &QPushButton::clicked, this, &StartPage::chooseDefaultModel);
    modelRow->addWidget(m_defaultModel, 1);
    modelRow->addWidget(m_defaultModelButton);
    layout->addLayout(modelRow);

    // After a crash: the autosaved changes, one row each.
    m_recoveryFrame = new QFrame(column);
    m_recoveryFrame->setObjectName(QStringLiteral("recoveryOffers"));
    m_recoveryFrame->setFrameShape(QFrame::StyledPanel);
    m_recoveryFrame->setAutoFillBackground(true);
    auto* recoveryLayout = new QVBoxLayout(m_recoveryFrame);
    m_recoveryTitle = new QLabel(m_recoveryFrame);
    makeHeading(m_recoveryTitle, 1.15);
    m_recoveryText = new QLabel(m_recoveryFrame);
    m_recoveryText->setWordWrap(true);
    m_recoveryRows = new QVBoxLayout;
    recoveryLayout->addWidget(m_recoveryTitle);
    recoveryLayout->addWidget(m_recoveryText);
    recoveryLayout->addLayout(m_recoveryRows);
    m_recoveryFrame->hide();
    layout->addWidget(m_recoveryFrame);

    // Recent projects.
    m_recentTitle = new QLabel(column);
    makeHeading(m_recentTitle, 1.15);
    layout->addSpacing(4);
    layout->addWidget(m_recentTitle);
    m_recentList = new QListWidget(column);
    m_recentList->setObjectName(QStringLiteral("recentProjectsList"));
    m_recentList->setIconSize(kThumbnailSize);
    m_recentList->setItemDelegate(new RecentProjectDelegate(m_recentList));
    m_recentList->setSpacing(3);
    m_recentList->setUniformItemSizes(true);
    m_recentList->setWordWrap(true);
    m_recentList->setSelectionMode(QAbstractItemView::SingleSelection);
    m_recentList->setMinimumHeight(kThumbnailSize.height() * 2 + 40);
    m_recentList->installEventFilter(this);
    connect(m_recentList, &QListWidget::itemActivated, this, [this] { openSelected(); });
    connect(m_recentList, &QListWidget::currentItemChanged, this, &StartPage::updateRecentButtons);
    m_noRecent = new QLabel(column);
    m_noRecent->setObjectName(QStringLiteral("noRecentProjectsLabel"));
    m_noRecent->setWordWrap(true);
    layout->addWidget(m_recentList, 1);
    layout->addWidget(m_noRecent);
    auto* recentButtons = new QHBoxLayout;
    m_openRecentButton = new QPushButton(column);
    m_openRecentButton->setObjectName(QStringLiteral("openRecentButton"));
    m_removeRecentButton = new QPushButton(column);
    m_removeRecentButton->setObjectName(QStringLiteral("removeRecentButton"));
    connect(m_openRecentButton, &QPushButton::clicked, this, &StartPage::openSelected);
    connect(m_removeRecentButton, &QPushButton::clicked, this, &StartPage::removeSelected);
    recentButtons->addStretch(1);
    recentButtons->addWidget(m_openRecentButton);
    recentButtons->addWidget(m_removeRecentButton);
    layout->addLayout(recentButtons);

    connect(m_thumbnails, &ProjectThumbnails::ready, this, [this](const QString& path) {
        for (int i = 0; i < m_recentList->count(); ++i) {
            QListWidgetItem* item = m_recentList->item(i);
            if (item->data(Qt::UserRole).toString() == path) {
                updateThumbnail(item);
            }
        }
    });
    // Once shown, the page follows the list (a page never shown reads nothing).
    connect(m_recentFiles, &RecentFiles::changed, this, [this] {
        if (m_refreshed) {
            refresh();
        }
    });

    applyRecoveryPalette();
    retranslate();
}

StartPage::~StartPage() = default;

bool StartPage::isScanning() const {
    return m_job != nullptr;
}

bool StartPage::isLoadingThumbnails() const {
    return m_thumbnails->isLoading();
}

QList<QWidget*> StartPage::recoveryRows() const {
    return m_recoveryFrame->findChildren<QWidget*>(QStringLiteral("recoveryRow"));
}

StartPageScan StartPage::scan(const QStringList& recentPaths, const QString& recoveryDir) {
    StartPageScan result;
    for (const QString& path : recentPaths) {
        const QFileInfo info(path);
        result.recent.append({path, info.isFile(), info.lastModified()});
    }
    for (const core::RecoveryEntry& entry : core::Autosaver::findRecoverable(recoveryDir)) {
        RecoveryOffer offer;
        offer.entry = entry;
        if (!entry.originalPath.isEmpty()) {
            const QFileInfo saved(entry.originalPath);
            offer.savedFileExists = saved.isFile();
            offer.savedFileNewer = offer.savedFileExists && entry.savedAt.isValid() &&
                                   saved.lastModified().toUTC() > entry.savedAt;
        }
        result.recovery.append(offer);
    }
    return result;
}

void StartPage::refresh() {
    m_refreshed = true;
    if (m_job != nullptr) {
        m_refreshAgain = true; // the list changed while it was read: read it once more
        return;
    }
    const QStringList paths = m_recentFiles->files();
    const QString recoveryDir = m_recoveryDir;
    m_job = Job::start(
        tr("Reading the recent projects"),
        [paths, recoveryDir](JobContext&) { return scan(paths, recoveryDir); }, this);
    connect(m_job, &Job::finished, this, [this, job = m_job.data()] {
        job->deleteLater();
        m_job = nullptr;
        if (job->state() == Job::State::Finished) {
            m_scan = job->result<StartPageScan>();
        }
        if (m_refreshAgain) {
            m_refreshAgain = false;
            refresh();
            return;
        }
        showScan();
        Q_EMIT scanned();
    });
}

void StartPage::showScan() {
    fillRecovery();
    fillRecentList();
}

QPixmap StartPage::placeholder(bool missing) const {
    QPixmap pixmap(kThumbnailSize * devicePixelRatioF());
    pixmap.setDevicePixelRatio(devicePixelRatioF());
    pixmap.fill(palette().color(QPalette::AlternateBase));
    QPainter painter(&pixmap);
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawRect(QRect(QPoint(0, 0), kThumbnailSize - QSize(1, 1)));
    const QPixmap icon = QIcon(QStringLiteral(":/icons/sfstudio-64.png"))
                             .pixmap(36, 36, missing ? QIcon::Disabled : QIcon::Normal);
    painter.setOpacity(missing ? 0.5 : 0.8);
    painter.drawPixmap((kThumbnailSize.width() - 36) / 2, (kThumbnailSize.height() - 36) / 2, icon);
    return pixmap;
}

void StartPage::updateThumbnail(QListWidgetItem* item) {
    const QString path = item->data(Qt::UserRole).toString();
    const bool exists = item->data(PathExistsRole).toBool();
    QImage image;
    if (exists) {
        for (const RecentProjectState& state : m_scan.recent) {
            if (state.path == path) {
                image = m_thumbnails->thumbnail(path, state.modified);
            }
        }
    }
    if (image.isNull()) {
        item->setIcon(QIcon(placeholder(!exists)));
        return;
    }
    // Letterboxed in a frame of the list's size, so every row lines up.
    QPixmap framed(kThumbnailSize * devicePixelRatioF());
    framed.setDevicePixelRatio(devicePixelRatioF());
    framed.fill(Qt::black);
    QPainter painter(&framed);
    const QSize size = image.size().scaled(kThumbnailSize, Qt::KeepAspectRatio);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.drawImage(QRect(QPoint((kThumbnailSize.width() - size.width()) / 2,
                                   (kThumbnailSize.height() - size.height()) / 2),
                            size),
                      image);
    item->setIcon(QIcon(framed));
}

void StartPage::fillRecentList() {
    const QString current = m_recentList->currentItem()
                                ? m_recentList->currentItem()->data(Qt::UserRole).toString()
                                : QString();
    m_recentList->clear();
    for (const RecentProjectState& state : m_scan.recent) {
        const QString name = QFileInfo(state.path).completeBaseName();
        auto* item = new QListWidgetItem(m_recentList);
        item->setData(Qt::UserRole, state.path);
        item->setData(PathExistsRole, state.exists);
        item->setToolTip(QDir::toNativeSeparators(state.path));
        if (state.exists) {
            //: A recent project on the start page: its name, then its folder and when it was
            //: last saved.
            item->setText(tr("%1\n%2\nSaved %3")
                              .arg(name, folderForDisplay(state.path),
                                   QLocale().toString(state.modified, QLocale::ShortFormat)));
            item->setData(Qt::AccessibleTextRole, tr("%1, in %2").arg(name, state.path));
        } else {
            item->setText(tr("%1 — not found\n%2").arg(name, folderForDisplay(state.path)));
            item->setForeground(palette().brush(QPalette::Disabled, QPalette::Text));
            item->setData(
                Qt::AccessibleTextRole,
                tr("%1, not found: %2 (can be removed from the list)").arg(name, state.path));
        }
        updateThumbnail(item);
        if (state.path == current) {
            m_recentList->setCurrentItem(item);
        }
    }
    if (m_recentList->currentItem() == nullptr && m_recentList->count() > 0) {
        m_recentList->setCurrentRow(0);
    }
    const bool empty = m_scan.recent.isEmpty();
    m_recentList->setVisible(!empty);
    m_noRecent->setVisible(empty);
    updateRecentButtons();
}

void StartPage::fillRecovery() {
    while (QLayoutItem* item = m_recoveryRows->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    QWidget* previous = m_defaultModelButton;
    for (const RecoveryOffer& offer : m_scan.recovery) {
        const core::RecoveryEntry& entry = offer.entry;
        auto* row = new QWidget(m_recoveryFrame);
        row->setObjectName(QStringLiteral("recoveryRow"));
        row->setProperty("recoveryFile", entry.recoveryFile);
        auto* rowLayout = new QHBoxLayout(row);
        rowLayout->setContentsMargins(0, 4, 0, 4);
        auto* text = new QLabel(row);
        text->setWordWrap(true);
        text->setTextFormat(Qt::RichText);
        QString description;
        if (!entry.savedAt.isValid()) {
            description = tr("A recovery file could not be read: %1")
                              .arg(QDir::toNativeSeparators(entry.recoveryFile).toHtmlEscaped());
        } else {
            description =
                tr("Changes autosaved at %1.")
                    .arg(QLocale().toString(entry.savedAt.toLocalTime(), QLocale::ShortFormat));
            if (offer.savedFileNewer) {
                description +=
                    QLatin1Char(' ') + tr("The project file was saved after that: compare "
                                          "both before you recover.");
            } else if (!entry.originalPath.isEmpty() && !offer.savedFileExists) {
                description += QLatin1Char(' ') + tr("The project file is no longer there.");
            }
            if (!entry.originalPath.isEmpty()) {
                description +=
                    QStringLiteral("<br><small>%1</small>")
                        .arg(QDir::toNativeSeparators(entry.originalPath).toHtmlEscaped());
            }
        }
        text->setText(QStringLiteral("<b>%1</b><br>%2")
                          .arg(entry.displayName().toHtmlEscaped(), description));
        rowLayout->addWidget(text, 1);
        const auto addButton = [&](const char* name, const QString& label,
                                   const QString& accessible,
                                   void (StartPage::*signal)(const core::RecoveryEntry&)) {
            auto* button = new QPushButton(label, row);
            button->setObjectName(QString::fromLatin1(name));
            button->setAccessibleName(accessible);
            connect(button, &QPushButton::clicked, this, [this, entry, signal] {
                Q_EMIT(this->*signal)(entry);
            });
            button->setEnabled(m_actionsEnabled);
            rowLayout->addWidget(button, 0, Qt::AlignVCenter);
            setTabOrder(previous, button);
            previous = button;
            return button;
        };
        const QString name = entry.displayName();
        if (entry.savedAt.isValid()) {
            addButton("recoverButton", tr("Recover"), tr("Recover the changes to %1").arg(name),
                      &StartPage::recoverRequested);
        }
        addButton("discardButton", tr("Discard"), tr("Discard the changes to %1").arg(name),
                  &StartPage::discardRecoveryRequested);
        if (entry.savedAt.isValid() && offer.savedFileExists) {
            QPushButton* both =
                addButton("showBothButton", tr("Show Both"),
                          tr("Show the changes to %1 and the saved file side by side").arg(name),
                          &StartPage::showBothRequested);
            both->setToolTip(tr("Opens the recovered changes in this window and the saved file "
                                "in a second window beside it"));
        }
        m_recoveryRows->addWidget(row);
    }
    setTabOrder(previous, m_recentList);
    setTabOrder(m_recentList, m_openRecentButton);
    setTabOrder(m_openRecentButton, m_removeRecentButton);
    m_recoveryFrame->setVisible(!m_scan.recovery.isEmpty());
}

void StartPage::updateRecentButtons() {
    const QListWidgetItem* item = m_recentList->currentItem();
    m_openRecentButton->setEnabled(m_actionsEnabled && item != nullptr &&
                                   item->data(PathExistsRole).toBool());
    m_removeRecentButton->setEnabled(item != nullptr);
}

void StartPage::updateDefaultModel() {
    const QString folder = defaultModelFolder();
    if (folder.isEmpty()) {
        m_defaultModel->setText(
            tr("New projects use the built-in demo model (untrained: it makes noise-like "
               "video, so that everything can be tried without a download)."));
    } else {
        m_defaultModel->setText(
            tr("New projects use the model folder %1.").arg(QDir::toNativeSeparators(folder)));
    }
}

void StartPage::openSelected() {
    const QListWidgetItem* item = m_recentList->currentItem();
    if (!m_actionsEnabled || item == nullptr || !item->data(PathExistsRole).toBool()) {
        return;
    }
    Q_EMIT openRecentRequested(item->data(Qt::UserRole).toString());
}

void StartPage::removeSelected() {
    if (const QListWidgetItem* item = m_recentList->currentItem()) {
        m_recentFiles->remove(item->data(Qt::UserRole).toString()); // changed() refreshes
    }
}

void StartPage::chooseDefaultModel() {
    // The dialog makes an accepted choice the default.
    if (ModelSetupDialog::choose(defaultModelFolder(), this)) {
        updateDefaultModel();
    }
}

void StartPage::focusFirstAction() {
    m_newButton->setFocus(Qt::OtherFocusReason);
}

void StartPage::setActionsEnabled(bool enabled) {
    m_actionsEnabled = enabled;
    for (QPushButton* b : {m_newButton, m_openButton, m_sampleButton}) {
        b->setEnabled(enabled);
    }
    for (auto* button : m_recoveryFrame->findChildren<QPushButton*>()) {
        button->setEnabled(enabled);
    }
    updateRecentButtons();
}

bool StartPage::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_recentList && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->key() == Qt::Key_Delete || key->key() == Qt::Key_Backspace) {
            removeSelected();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

void StartPage::applyRecoveryPalette() {
    // The banners' warning tint over the window colour: readable in light and dark themes.
    const QColor tint(230, 160, 0);
    QPalette p = palette();
    const QColor window = p.color(QPalette::Window);
    const auto mix = [](int a, int b) { return (a * 3 + b) / 4; };
    p.setColor(QPalette::Window,
               QColor(mix(window.red(), tint.red()), mix(window.green(), tint.green()),
                      mix(window.blue(), tint.blue())));
    m_recoveryFrame->setPalette(p);
}

void StartPage::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    } else if (event->type() == QEvent::PaletteChange) {
        applyRecoveryPalette();
        if (m_recentList != nullptr) {
            fillRecentList(); // placeholders and greyed entries follow the theme
        }
    }
    QWidget::changeEvent(event);
}

void StartPage::retranslate() {
    m_title->setText(tr("sfstudio"));
    m_subtitle->setText(tr("Storyboard a video with keyframes and prompts, and watch it "
                           "generate as you work."));
    m_newButton->setText(tr("&New Project"));
    m_newButton->setAccessibleName(tr("New project"));
    m_openButton->setText(tr("&Open…"));
    m_openButton->setAccessibleName(tr("Open a project"));
    m_sampleButton->setText(tr("Open the &Sample Project"));
    m_sampleButton->setAccessibleName(tr("Open the sample project"));
    m_sampleButton->setToolTip(tr("A short storyboard with keyframes and prompts, ready to "
                                  "generate with the built-in demo model"));
    m_defaultModelButton->setText(tr("&Model Setup…"));
    m_defaultModelButton->setAccessibleName(tr("Choose the model for new projects"));
    m_recoveryTitle->setText(tr("Recover unsaved changes"));
    m_recoveryText->setText(tr("sfstudio did not close properly last time. These changes were "
                               "saved automatically:"));
    m_recentTitle->setText(tr("Recent Projects"));
    m_recentList->setAccessibleName(tr("Recent projects"));
    m_noRecent->setText(tr("No recent projects yet. Start a new project or open the sample "
                           "project to try the studio."));
    m_openRecentButton->setText(tr("Open Selected"));
    m_removeRecentButton->setText(tr("&Remove from List"));
    m_removeRecentButton->setToolTip(tr("Removes the project from this list; the file stays"));
    updateDefaultModel();
    if (!m_scan.recent.isEmpty() || !m_scan.recovery.isEmpty()) {
        showScan();
    }
}

} // namespace sfs::ui
