#include "cli/node_run_command.hpp"

#include "agent/node_operation.hpp"
#include "cli/authority_options.hpp"
#include "cli/fleet.hpp"
#include "cli/json_output.hpp"
#include "cli/server_connection_options.hpp"
#include "core/duration.hpp"
#include "enrollment/node_presence.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

using core::Error;
using core::ErrorCode;

struct RunOptions {
    AuthorityOptions authority;
    ServerConnectionOptions server;
    std::string node;
    std::string operation;
    std::string timeout = "60s";
    bool no_wait = false;
    bool json = false;
};

ExitCode report(const RunOptions& o, const api::NodeActionStatus& action) {
    if (o.json) {
        std::cout << json_text({{"node", action.node},
                                {"action", action.id},
                                {"operation", action.argument},
                                {"state", action.state},
                                {"result", action.result}})
                  << '\n';
    } else if (action.is_open()) {
        std::cout << fmt::format(
            "operation {} (action {}) for {}: {}\n", action.argument, action.id, action.node, action.state);
    } else {
        std::cout << fmt::format("operation {} (action {}) on {}: {}{}{}\n",
                                 action.argument,
                                 action.id,
                                 action.node,
                                 action.state,
                                 action.result.empty() ? "" : ": ",
                                 action.result);
    }
    if (action.state == "refused") {
        std::cerr << fmt::format("certfleet node run: {} refused: {}\n", action.node, action.result);
        return ExitCode::not_found;
    }
    return action.state == "failed" ? ExitCode::findings : ExitCode::ok;
}

// Queues the operation for a connected node with the rules of `node renew` (an unknown node is
// not_found, a node whose agent does not hold the long-poll is "No connection with NODE"), on the store
// or, with --server, through the server's admin routes, and waits for the node's report.
ExitCode run_operation(const RunOptions& o) {
    static_cast<void>(core::parse_duration(o.timeout, "--timeout"));  // refused before anything is queued
    if (!agent::is_operation_name(o.operation)) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("OPERATION: \"{}\" is not an operation name ([a-z0-9][a-z0-9-_.]*)", o.operation));
    }
    const std::unique_ptr<Fleet> fleet = open_fleet(o.authority, o.server);
    const api::NodeActionStatus action = fleet->queue_node_action(
        {.node = o.node,
         .kind = std::string(enrollment::to_string(enrollment::ActionKind::operation)),
         .argument = o.operation});
    if (o.no_wait) {
        return report(o, action);
    }
    return report(o, wait_for_report(*fleet, action, o.timeout, !o.json));
}

}  // namespace

void add_node_run_command(CLI::App& node, CommandAction& action) {
    auto o = std::make_shared<RunOptions>();
    CLI::App* run = node.add_subcommand(
        "run",
        "Ask a node to run one of its own operations, by name.\n\n"
        "The node's configuration defines its operations (agent.yaml: operations: {restart-kudu:\n"
        "[systemctl, restart, kudu-tserver]}); only the name travels. Its agent, holding the long-poll,\n"
        "runs that command (no shell, bounded by its operation_timeout) and reports the exit status and\n"
        "the last lines of its output. A name the node does not define is refused and nothing runs.\n"
        "The server never sends a command. By default this waits for the node's report.\n\n"
        "With --server the server queues it (admin certificate of role operator) and this waits on it\n"
        "there.\n\n"
        "Example:\n  certfleet node run kudu3 restart-kudu --timeout 5m\n\n"
        "Exit status: 0 the operation succeeded (or was queued, with --no-wait); 1 it ran and failed;\n"
        "2 invalid input; 3 the server refused the admin certificate; 4 no such node, or the node has\n"
        "no operation of that name (refused); 5 no connection with the node, no report in time, or the\n"
        "server unavailable.");
    add_authority_options(*run, o->authority, false);
    add_server_connection_options(*run, o->server);
    run->add_option("NODE", o->node, "The node's name (certfleet node list)")->required();
    run->add_option("OPERATION", o->operation, "The name of an operation in the node's agent.yaml")
        ->required();
    run->add_option("--timeout", o->timeout, "How long to wait for the node's report (default 60s)");
    run->add_flag("--no-wait", o->no_wait, "Queue the action and return");
    run->add_flag("--json", o->json, "Print the outcome as JSON");
    run->callback([o, &action] { action = [o] { return run_operation(*o); }; });
}

}  // namespace certfleet::cli
