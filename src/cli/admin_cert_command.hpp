#pragma once

#include "cli/command.hpp"

namespace certfleet::cli {

/// Adds `certfleet admin-cert issue|list|revoke` (admin_cert_command.cpp).
void add_admin_cert_command(CLI::App& app, CommandAction& action);

}  // namespace certfleet::cli
