#pragma once
// What the inspector's tests share: the panel on a document as the studio builds it, and a child
// lookup that stops the test when a widget is missing (a renamed widget must not pass silently).

#include "inspector/inspector_panel.h"
#include "sfs/core/project/document.h"
#include "sfs/ui/selection.h"

#include <QSize>
#include <QString>
#include <QTest>

#include <memory>

namespace sfs::ui::testing {

template <typename T>
T* child(const QObject* parent, const QString& name) {
    T* found = parent->findChild<T*>(name);
    if (found == nullptr) {
        qFatal("no %s", qPrintable(name));
    }
    return found;
}

struct InspectorHarness {
    std::unique_ptr<core::ProjectDocument> doc;
    std::unique_ptr<Selection> selection;
    std::unique_ptr<InspectorPanel> panel;

    // A new document staged in `stagingDir` holding `project`; no panel yet, so a test can put
    // assets in place first.
    void openDocument(const QString& stagingDir, const core::Project& project) {
        doc = std::make_unique<core::ProjectDocument>(nullptr, stagingDir);
        doc->newProject(project);
    }

    // The panel on the document, shown at `size`; false if its window was never exposed.
    [[nodiscard]] bool showPanel(QSize size) {
        selection = std::make_unique<Selection>();
        panel = std::make_unique<InspectorPanel>(doc.get(), selection.get());
        panel->resize(size);
        panel->show();
        return QTest::qWaitForWindowExposed(panel.get());
    }

    void close() {
        panel.reset();
        selection.reset();
        doc->close();
        doc.reset();
    }
};

} // namespace sfs::ui::testing
