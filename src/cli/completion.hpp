#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace certfleet::cli {

/// Returns what bash may complete the last of `words` (the command line after `certfleet`, the word
/// being completed last, possibly empty) to: subcommand names, or option names when it starts with
/// `-`; nothing where a file name or a value goes (the completion script then offers file names).
std::vector<std::string> complete_words(CLI::App& app, const std::vector<std::string>& words);

}  // namespace certfleet::cli
