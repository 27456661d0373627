#include "sfs/ui/main_window.h"

#include "about_dialog.h"
#include "sfs/ui/recent_files.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QEvent>
#include <QFileInfo>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QUndoStack>

namespace sfs::ui {

namespace {
QLabel* makeArea(const QString& objectName, QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setAlignment(Qt::AlignCenter);
    label->setMinimumSize(160, 90);
    return label;
}
} // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    setObjectName(QStringLiteral("mainWindow"));
    m_undoStack = new QUndoStack(this);
    m_recentFiles = new RecentFiles(this);

    auto* preview = makeArea(QStringLiteral("previewArea"), this);
    preview->setStyleSheet(QStringLiteral("background:#101018; color:#8088a0;"));
    setCentralWidget(preview);

    createActions();
    createMenus();
    createDocks();
    retranslate();
    rebuildRecentMenu();
    connect(m_recentFiles, &RecentFiles::changed, this, &MainWindow::rebuildRecentMenu);
    connect(m_undoStack, &QUndoStack::cleanChanged, this,
            [this](bool clean) { setWindowModified(!clean); });

    statusBar();
    resize(1280, 800);
    restoreWindowState();
}

MainWindow::~MainWindow() = default;

QStringList MainWindow::actionNames() {
    return {QStringLiteral("actionNew"),
            QStringLiteral("actionOpen"),
            QStringLiteral("actionSave"),
            QStringLiteral("actionSaveAs"),
            QStringLiteral("actionExport"),
            QStringLiteral("actionQuit"),
            QStringLiteral("actionUndo"),
            QStringLiteral("actionRedo"),
            QStringLiteral("actionGenerate"),
            QStringLiteral("actionStop"),
            QStringLiteral("actionAbout"),
            QStringLiteral("actionAboutQt"),
            QStringLiteral("actionToggleTimeline"),
            QStringLiteral("actionToggleInspector")};
}

void MainWindow::createActions() {
    auto make = [this](const char* name, QKeySequence::StandardKey key) {
        auto* a = new QAction(this);
        a->setObjectName(QString::fromLatin1(name));
        if (key != QKeySequence::UnknownKey) {
            a->setShortcuts(key);
        }
        return a;
    };
    m_newAction = make("actionNew", QKeySequence::New);
    m_openAction = make("actionOpen", QKeySequence::Open);
    m_saveAction = make("actionSave", QKeySequence::Save);
    m_saveAsAction = make("actionSaveAs", QKeySequence::SaveAs);
    m_exportAction = make("actionExport", QKeySequence::UnknownKey);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_quitAction = make("actionQuit", QKeySequence::Quit);
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_undoAction = m_undoStack->createUndoAction(this);
    m_undoAction->setObjectName(QStringLiteral("actionUndo"));
    m_undoAction->setShortcuts(QKeySequence::Undo);
    m_redoAction = m_undoStack->createRedoAction(this);
    m_redoAction->setObjectName(QStringLiteral("actionRedo"));
    m_redoAction->setShortcuts(QKeySequence::Redo);

    m_generateAction = make("actionGenerate", QKeySequence::UnknownKey);
    m_generateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    m_stopAction = make("actionStop", QKeySequence::UnknownKey);
    m_stopAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    // Stop is only meaningful while a generation runs.
    m_stopAction->setEnabled(false);
    // Document and engine actions stay disabled until a project and an engine are attached.
    for (QAction* a : {m_newAction, m_openAction, m_saveAction, m_saveAsAction, m_exportAction,
                       m_generateAction}) {
        a->setEnabled(false);
    }

    m_aboutAction = make("actionAbout", QKeySequence::UnknownKey);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::showAbout);
    m_aboutQtAction = make("actionAboutQt", QKeySequence::UnknownKey);
    m_aboutQtAction->setMenuRole(QAction::AboutQtRole);
    connect(m_aboutQtAction, &QAction::triggered, qApp, &QApplication::aboutQt);

    m_clearRecentAction = make("actionClearRecent", QKeySequence::UnknownKey);
    connect(m_clearRecentAction, &QAction::triggered, m_recentFiles, &RecentFiles::clear);
}

void MainWindow::createMenus() {
    m_fileMenu = menuBar()->addMenu(QString());
    m_fileMenu->setObjectName(QStringLiteral("menuFile"));
    m_fileMenu->addAction(m_newAction);
    m_fileMenu->addAction(m_openAction);
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_recentMenu->setObjectName(QStringLiteral("menuOpenRecent"));
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_saveAction);
    m_fileMenu->addAction(m_saveAsAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_exportAction);
    m_fileMenu->addSeparator();
    m_fileMenu->addAction(m_quitAction);

    m_editMenu = menuBar()->addMenu(QString());
    m_editMenu->setObjectName(QStringLiteral("menuEdit"));
    m_editMenu->addAction(m_undoAction);
    m_editMenu->addAction(m_redoAction);

    m_viewMenu = menuBar()->addMenu(QString());
    m_viewMenu->setObjectName(QStringLiteral("menuView"));

    m_generateMenu = menuBar()->addMenu(QString());
    m_generateMenu->setObjectName(QStringLiteral("menuGenerate"));
    m_generateMenu->addAction(m_generateAction);
    m_generateMenu->addAction(m_stopAction);

    m_helpMenu = menuBar()->addMenu(QString());
    m_helpMenu->setObjectName(QStringLiteral("menuHelp"));
    m_helpMenu->addAction(m_aboutAction);
    m_helpMenu->addAction(m_aboutQtAction);
}

void MainWindow::createDocks() {
    setDockOptions(AnimatedDocks | AllowNestedDocks | AllowTabbedDocks);

    m_timelineDock = new QDockWidget(this);
    m_timelineDock->setObjectName(QStringLiteral("timelineDock"));
    m_timelineDock->setWidget(makeArea(QStringLiteral("timelineArea"), m_timelineDock));
    addDockWidget(Qt::BottomDockWidgetArea, m_timelineDock);

    m_inspectorDock = new QDockWidget(this);
    m_inspectorDock->setObjectName(QStringLiteral("inspectorDock"));
    m_inspectorDock->setWidget(makeArea(QStringLiteral("inspectorArea"), m_inspectorDock));
    addDockWidget(Qt::RightDockWidgetArea, m_inspectorDock);

    QAction* toggleTimeline = m_timelineDock->toggleViewAction();
    toggleTimeline->setObjectName(QStringLiteral("actionToggleTimeline"));
    toggleTimeline->setShortcut(QKeySequence(Qt::ALT | Qt::Key_1));
    QAction* toggleInspector = m_inspectorDock->toggleViewAction();
    toggleInspector->setObjectName(QStringLiteral("actionToggleInspector"));
    toggleInspector->setShortcut(QKeySequence(Qt::ALT | Qt::Key_2));
    m_viewMenu->addAction(toggleTimeline);
    m_viewMenu->addAction(toggleInspector);
}

void MainWindow::retranslate() {
    setWindowTitle(tr("sfstudio") + QStringLiteral("[*]"));
    m_fileMenu->setTitle(tr("&File"));
    m_recentMenu->setTitle(tr("Open &Recent"));
    m_editMenu->setTitle(tr("&Edit"));
    m_viewMenu->setTitle(tr("&View"));
    m_generateMenu->setTitle(tr("&Generate"));
    m_helpMenu->setTitle(tr("&Help"));

    m_newAction->setText(tr("&New Project"));
    m_newAction->setStatusTip(tr("Start a new storyboard"));
    m_openAction->setText(tr("&Open…"));
    m_openAction->setStatusTip(tr("Open a project or an exported clip"));
    m_saveAction->setText(tr("&Save"));
    m_saveAsAction->setText(tr("Save &As…"));
    m_exportAction->setText(tr("&Export…"));
    m_exportAction->setStatusTip(tr("Export a take as MP4 or an image sequence"));
    m_quitAction->setText(tr("&Quit"));
    m_undoAction->setText(tr("&Undo"));
    m_redoAction->setText(tr("&Redo"));
    m_generateAction->setText(tr("&Generate"));
    m_generateAction->setStatusTip(tr("Generate the timeline with the model"));
    m_stopAction->setText(tr("&Stop"));
    m_stopAction->setStatusTip(tr("Stop the running generation after the current step"));
    m_aboutAction->setText(tr("&About sfstudio"));
    m_aboutQtAction->setText(tr("About &Qt"));
    m_clearRecentAction->setText(tr("&Clear Menu"));

    m_timelineDock->setWindowTitle(tr("Timeline"));
    m_inspectorDock->setWindowTitle(tr("Inspector"));
    if (auto* area = findChild<QLabel*>(QStringLiteral("previewArea"))) {
        area->setText(tr("Preview"));
    }
    if (auto* area = findChild<QLabel*>(QStringLiteral("timelineArea"))) {
        area->setText(tr("Timeline"));
    }
    if (auto* area = findChild<QLabel*>(QStringLiteral("inspectorArea"))) {
        area->setText(tr("Inspector"));
    }
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    if (m_recentMenu == nullptr) {
        return;
    }
    m_recentMenu->clear();
    const QStringList files = m_recentFiles->files();
    int index = 1;
    for (const QString& path : files) {
        const QString label =
            index < 10 ? QStringLiteral("&%1 %2").arg(index).arg(QFileInfo(path).fileName())
                       : QFileInfo(path).fileName();
        QAction* a = m_recentMenu->addAction(label);
        a->setData(path);
        a->setToolTip(path);
        ++index;
    }
    if (!files.isEmpty()) {
        m_recentMenu->addSeparator();
    }
    m_recentMenu->addAction(m_clearRecentAction);
    m_clearRecentAction->setEnabled(!files.isEmpty());
    m_recentMenu->setEnabled(true);
}

void MainWindow::restoreWindowState() {
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("mainWindow/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("mainWindow/state")).toByteArray());
}

void MainWindow::saveWindowState() const {
    QSettings settings;
    settings.setValue(QStringLiteral("mainWindow/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("mainWindow/state"), saveState());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    saveWindowState();
    event->accept();
}

void MainWindow::changeEvent(QEvent* event) {
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::showAbout() {
    AboutDialog dialog(this);
    dialog.exec();
}

} // namespace sfs::ui
