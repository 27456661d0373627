#pragma once
// Where sfstudio keeps files it can always recreate (prompt embeddings, the demo model):
// $XDG_CACHE_HOME/sfstudio/<sub>, else ~/.cache/sfstudio/<sub>, else a temp folder.

#include <string>

namespace sfs::inference {

std::string userCacheDir(const std::string& sub);

} // namespace sfs::inference
