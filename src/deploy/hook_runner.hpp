#pragma once

#include "core/duration.hpp"

#include <map>
#include <string>
#include <vector>

namespace certfleet::deploy {

/// How a command ended.
struct CommandResult {
    int exit_status = -1;  ///< the exit status, or -1 if it was killed or could not start
    bool timed_out = false;
    std::string output;  ///< stdout and stderr, the last 4 KiB
    [[nodiscard]] bool succeeded() const { return exit_status == 0 && !timed_out; }
    /// Returns "exit 1: <last line of output>", "timed out after 30s", "killed by signal 9".
    [[nodiscard]] std::string describe() const;
};

struct CommandOptions {
    core::Seconds timeout{60};
    std::map<std::string, std::string> environment;  ///< added to (or replacing) the inherited ones
    std::string standard_input;                      ///< what the command reads on stdin ("" = /dev/null)
};

/// Runs `argv` (no shell; argv[0] looked up in PATH) with stdin from options.standard_input, in its own
/// process group, which is killed when the timeout passes. Never throws for the command's own failure: a
/// command that cannot start is exit status 127 with the reason as output.
CommandResult run_command(const std::vector<std::string>& argv, const CommandOptions& options);

}  // namespace certfleet::deploy
