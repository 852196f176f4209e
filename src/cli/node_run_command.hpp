#pragma once

#include "cli/command.hpp"

namespace certfleet::cli {

/// Adds `node run NODE OPERATION` to the `node` command: ask a node to run one of its own operations
/// (agent.yaml `operations`) by name.
void add_node_run_command(CLI::App& node, CommandAction& action);

}  // namespace certfleet::cli
