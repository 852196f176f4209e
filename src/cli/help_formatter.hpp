#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace certfleet::cli {

/// Formats --help as git and kubectl do: a command list shows one line per command (the first line of
/// its description), under its group's heading; `certfleet CMD --help` keeps the whole text.
class HelpFormatter : public CLI::Formatter {
public:
    HelpFormatter();
    /// Returns "  NAME   first line of the description".
    std::string make_subcommand(const CLI::App* sub) const override;
    /// Returns the Usage: line, with COMMAND for a command that has subcommands.
    std::string make_usage(const CLI::App* app, std::string name) const override;
};

/// Returns the first line of a command's description (its summary).
std::string summary_of(const CLI::App& app);

}  // namespace certfleet::cli
