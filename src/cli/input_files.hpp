#pragma once

#include "core/file.hpp"

#include <string>
#include <vector>

namespace certfleet::cli {

using core::Recursion;

/// Expands the paths an operator gave into files, in a stable order: files as given, directories
/// walked (sorted) when `recursion` is yes, "-" kept for standard input. Directories under them that
/// cannot be listed, and symbolic link loops met on the way, are added to `unreadable`.
/// Throws Error(not_found) for a missing path, Error(invalid_input) for a directory without recursion
/// or a path that is a symbolic link loop.
std::vector<std::string> expand_input_paths(const std::vector<std::string>& paths,
                                            Recursion recursion,
                                            std::vector<core::UnreadablePath>& unreadable);

}  // namespace certfleet::cli
