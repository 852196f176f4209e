#pragma once

#include "cli/exit_code.hpp"

#include <CLI/CLI.hpp>

#include <functional>

namespace certfleet::cli {

/// What a subcommand does once its arguments are parsed.
using CommandAction = std::function<ExitCode()>;

/// Each adds one subcommand to `app`; when it is the one chosen, its action is stored in `action`.
void add_inspect_command(CLI::App& app, CommandAction& action);
void add_key_command(CLI::App& app, CommandAction& action);
void add_csr_command(CLI::App& app, CommandAction& action);
void add_scan_command(CLI::App& app, CommandAction& action);
void add_probe_command(CLI::App& app, CommandAction& action);
void add_bundle_command(CLI::App& app, CommandAction& action);
void add_verify_command(CLI::App& app, CommandAction& action);
void add_external_command(CLI::App& app, CommandAction& action);
void add_ca_command(CLI::App& app, CommandAction& action);
void add_cert_command(CLI::App& app, CommandAction& action);
void add_crl_command(CLI::App& app, CommandAction& action);
void add_chain_command(CLI::App& app, CommandAction& action);
void add_deploy_command(CLI::App& app, CommandAction& action);
void add_serve_command(CLI::App& app, CommandAction& action);
void add_agent_command(CLI::App& app, CommandAction& action);
void add_node_command(CLI::App& app, CommandAction& action);
void add_token_command(CLI::App& app, CommandAction& action);
void add_request_command(CLI::App& app, CommandAction& action);
void add_enroll_command(CLI::App& app, CommandAction& action);

/// Gives `cmd` the agent's options and action: the `agent` subcommand of certfleet, and the whole
/// command line of the node's own executable, certfleet-agent.
void configure_agent_command(CLI::App& cmd, CommandAction& action);

}  // namespace certfleet::cli
