#pragma once

#include "cli/command.hpp"

namespace certfleet::cli {

/// Adds `adopt` (deploy a certificate copied to the node by hand: the offline fallback) under the agent
/// command `agent`.
void add_agent_adopt_command(CLI::App& agent, CommandAction& action);

}  // namespace certfleet::cli
