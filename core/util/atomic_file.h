// Writing a file so that a reader sees either the old content or the new
// one, never half of it: a temporary file in the same directory, then
// rename(2) over the target.
#pragma once

#include <string>

#include "util/status.h"

namespace checker {

// Writes `content` to `path` (mode 0644). On failure the target is
// unchanged, no temporary file is left behind, and the error names `path`.
Status WriteFileAtomically(const std::string& path, const std::string& content);

}  // namespace checker
