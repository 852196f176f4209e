#pragma once

#include "cli/command.hpp"

namespace certfleet::cli {

/// Adds `cert renew` to the `cert` command.
void add_cert_renew_command(CLI::App& cert, CommandAction& action);

}  // namespace certfleet::cli
