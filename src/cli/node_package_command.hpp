#pragma once

#include "cli/command.hpp"

namespace certfleet::cli {

/// Adds `package` (issue a node's certificate on the CA host and write it as a package for `agent
/// adopt`: the offline fallback) under the `node` command.
void add_node_package_command(CLI::App& node, CommandAction& action);

}  // namespace certfleet::cli
