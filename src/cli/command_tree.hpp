#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::cli {

/// Returns the subcommand of `app` named `name` (or one of its aliases), else nullptr.
CLI::App* find_subcommand(CLI::App& app, std::string_view name);

/// Returns the words that name `app` under the program: "ca init" ("" for the program itself).
std::string command_path(const CLI::App& app);

/// Returns the names of the subcommands of `app`, in the order they were added (hidden ones left out).
std::vector<std::string> subcommand_names(CLI::App& app);

/// Returns the name in `names` closest to `typed` (a prefix of it, or within an edit distance of a
/// third of its length, at least 2), else nullopt.
std::optional<std::string> closest_name(std::string_view typed, const std::vector<std::string>& names);

/// Follows the command words at the start of `args` (argv without the program name) down the tree
/// and returns the deepest command they name (`app` itself when the first word is an option).
/// Throws Error(invalid_input) `unknown command "WORD"` with the closest name when a word is no command.
CLI::App& resolve_command_words(CLI::App& app, const std::vector<std::string>& args);

}  // namespace certfleet::cli
