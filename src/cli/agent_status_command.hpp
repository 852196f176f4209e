#pragma once

#include "cli/command.hpp"

namespace certfleet::cli {

/// Adds `status` (each tracked certificate as the node holds it, without the server) and `trust` (take
/// the server's new root after a CA change, by its fingerprint) under the agent command `agent`.
void add_agent_status_commands(CLI::App& agent, CommandAction& action);

}  // namespace certfleet::cli
