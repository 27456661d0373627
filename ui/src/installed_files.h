#pragma once
// Where the studio finds the files it ships beside the programs: the sample project and the user
// guide. Installed, they are in <prefix>/share/sfstudio/examples and <prefix>/share/doc/sfstudio
// (packaging/CMakeLists.txt); run from the build tree, in the source tree. Looked for in order:
//   $SFS_DATA_DIR (when set: its examples/ and user-guide.md, and nowhere else),
//   relative to the program (<exe>/../share/...: a relocated install),
//   the configured install prefix,
//   the source tree this build was configured from.

#include <QString>
#include <QStringList>

namespace sfs::ui {

// The sample project's file (paper-boat.sfsproj), or "" when none is found.
QString sampleProjectPath();
// docs/user-guide.md, or "" when none is found.
QString userGuidePath();

// The places each is looked for, in order (for messages and tests).
QStringList sampleProjectCandidates();
QStringList userGuideCandidates();

} // namespace sfs::ui
