#pragma once

#include <string>
#include <vector>

namespace certfleet::cli {

/// Whether directories given on the command line are walked.
enum class Recursion { no, yes };

/// Expands the paths an operator gave into files, in a stable order: files as given, directories
/// walked (sorted) when `recursion` is yes, "-" kept for standard input.
/// Throws Error(not_found) for a missing path, Error(invalid_input) for a directory without recursion.
std::vector<std::string> expand_input_paths(const std::vector<std::string>& paths, Recursion recursion);

}  // namespace certfleet::cli
