#include "cli/node_run_command.hpp"

#include "agent/node_operation.hpp"
#include "authority/authority.hpp"
#include "cli/authority_options.hpp"
#include "cli/json_output.hpp"
#include "cli/progress_line.hpp"
#include "core/duration.hpp"
#include "enrollment/node_presence.hpp"
#include "pki/certificate.hpp"
#include "store/audit_log.hpp"
#include "store/node_records.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <thread>

namespace certfleet::cli {
namespace {

using core::Error;
using core::ErrorCode;

struct RunOptions {
    AuthorityOptions authority;
    std::string node;
    std::string operation;
    std::string timeout = "60s";
    bool no_wait = false;
    bool json = false;
};

bool has_ended(const store::NodeActionRecord& action) {
    return action.state != "queued" && action.state != "delivered";
}

// Queues the operation action for a connected node: the same rules as `node renew` (an unknown node is
// not_found, a node whose agent does not hold the long-poll is "No connection with NODE").
store::NodeActionRecord queue_operation(store::Store& store,
                                        const std::string& authority_name,
                                        const RunOptions& o,
                                        core::TimePoint now) {
    store::NodeActionRecord action{
        .authority = authority_name,
        .node = o.node,
        .kind = std::string(enrollment::to_string(enrollment::ActionKind::operation)),
        .argument = o.operation,
        .requested_by = cli_actor(),
        .created_at = now};
    store.commit([&](store::Transaction& tx) {
        const auto node = store::find_node(tx, authority_name, o.node);
        if (!node) {
            throw Error(
                ErrorCode::not_found,
                fmt::format(
                    "No node {} has reached authority \"{}\" (certfleet node list)", o.node, authority_name));
        }
        if (!enrollment::is_connected(node->last_poll_at, now)) {
            throw Error(ErrorCode::unavailable,
                        fmt::format("No connection with {} (last poll {}): its agent is not running or "
                                    "cannot reach the server",
                                    o.node,
                                    node->last_poll_at ? pki::format_time(*node->last_poll_at) : "never"));
        }
        store::insert_node_action(tx, action);
        store::append_audit(
            tx,
            {.at = now,
             .actor = action.requested_by,
             .action = "node.action.queue",
             .target = fmt::format("{} action {} operation {}", o.node, action.id, o.operation),
             .outcome = "ok",
             .authority = authority_name});
    });
    return action;
}

ExitCode report(const RunOptions& o, const store::NodeActionRecord& action) {
    if (o.json) {
        std::cout << json_text({{"node", action.node},
                                {"action", action.id},
                                {"operation", action.argument},
                                {"state", action.state},
                                {"result", action.result}})
                  << '\n';
    } else if (!has_ended(action)) {
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

ExitCode run_operation(const RunOptions& o) {
    const auto timeout = core::parse_duration(o.timeout, "--timeout");
    if (!agent::is_operation_name(o.operation)) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("OPERATION: \"{}\" is not an operation name ([a-z0-9][a-z0-9-_.]*)", o.operation));
    }
    const auto store = open_store(o.authority);
    const std::string authority_name = authority::choose_authority(*store, o.authority.ca);
    const store::NodeActionRecord action =
        queue_operation(*store, authority_name, o, core::SystemClock().now());
    if (o.no_wait) {
        return report(o, action);
    }
    // Bounded by --timeout: the node's agent holds the long-poll, so it normally answers within seconds
    // plus the time the operation takes.
    ProgressLine progress(!o.json);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto current = store->read(
            [&](store::Transaction& tx) { return store::find_node_action(tx, authority_name, action.id); });
        if (current && has_ended(*current)) {
            return report(o, *current);
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            throw Error(
                ErrorCode::unavailable,
                fmt::format("{} did not report action {} within {} (it is {}; see certfleet node list)",
                            o.node,
                            action.id,
                            o.timeout,
                            current ? current->state : "gone"));
        }
        progress.show(fmt::format("waiting for {}: operation {} (action {}) {}",
                                  o.node,
                                  o.operation,
                                  action.id,
                                  current ? current->state : "queued"));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
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
        "Example:\n  certfleet node run kudu3 restart-kudu --timeout 5m\n\n"
        "Exit status: 0 the operation succeeded (or was queued, with --no-wait); 1 it ran and failed;\n"
        "2 invalid input; 4 no such node, or the node has no operation of that name (refused);\n"
        "5 no connection with the node, or no report in time.");
    add_authority_options(*run, o->authority, false);
    run->add_option("NODE", o->node, "The node's name (certfleet node list)")->required();
    run->add_option("OPERATION", o->operation, "The name of an operation in the node's agent.yaml")
        ->required();
    run->add_option("--timeout", o->timeout, "How long to wait for the node's report (default 60s)");
    run->add_flag("--no-wait", o->no_wait, "Queue the action and return");
    run->add_flag("--json", o->json, "Print the outcome as JSON");
    run->callback([o, &action] { action = [o] { return run_operation(*o); }; });
}

}  // namespace certfleet::cli
