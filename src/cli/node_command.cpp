#include "api/json_codec.hpp"
#include "authority/authority.hpp"
#include "authority/ledger.hpp"
#include "cli/authority_options.hpp"
#include "cli/command.hpp"
#include "cli/json_output.hpp"
#include "cli/node_package_command.hpp"
#include "cli/node_run_command.hpp"
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

struct NodeOptions {
    AuthorityOptions authority;
    std::string node;
    std::string certificate;
    std::string timeout = "60s";
    bool no_wait = false;
    bool json = false;
};

std::string seen(const std::optional<core::TimePoint>& at) {
    return at ? pki::format_time(*at) : "never";
}

// What seed 001's `status` shows for one certificate, read from the ledger by the serial the node
// reported; the node's report alone when the ledger does not know it.
nlohmann::json certificate_json(authority::Ledger& ledger, const api::TrackedCertificateReport& reported) {
    nlohmann::json out{{"name", reported.name},
                       {"serial", reported.serial},
                       {"state", reported.state},
                       {"expires", reported.not_after}};
    if (const auto record = ledger.find(reported.serial)) {
        const pki::Certificate c = pki::Certificate::from_der(record->der, "ledger");
        out["subject"] = c.subject();
        out["issuer"] = c.issuer();
        out["key"] = pki::to_string(c.key_description());
        out["signature_algorithm"] = c.signature_algorithm();
        out["activated"] = pki::format_time(c.not_before());
        out["expires"] = pki::format_time(c.not_after());
        out["sha1_fingerprint"] = c.fingerprint(pki::DigestAlgorithm::sha1);
    }
    return out;
}

ExitCode run_list(const NodeOptions& o) {
    const auto store = open_store(o.authority);
    const std::string name = authority::choose_authority(*store, o.authority.ca);
    const core::TimePoint now = core::SystemClock().now();
    const auto nodes = store->read([&](store::Transaction& tx) { return store::list_nodes(tx, name); });
    authority::Ledger ledger(*store);
    nlohmann::json out = nlohmann::json::array();
    for (const store::NodeRecord& node : nodes) {
        nlohmann::json certificates = nlohmann::json::array();
        if (!node.report.empty()) {
            for (const auto& c : api::decode<api::Checkin>(node.report, "stored check-in").certificates) {
                certificates.push_back(certificate_json(ledger, c));
            }
        }
        out.push_back({{"name", node.name},
                       {"connected", enrollment::is_connected(node.last_poll_at, now)},
                       {"last_seen", seen(std::max(node.last_poll_at, node.last_checkin_at))},
                       {"agent_version", node.agent_version},
                       {"client_serial", node.serial},
                       {"certificates", certificates}});
    }
    if (o.json) {
        std::cout << json_text(out) << '\n';
        return ExitCode::ok;
    }
    if (out.empty()) {
        std::cout << fmt::format("no node has reached authority \"{}\" yet\n", name);
    }
    for (const nlohmann::json& node : out) {
        std::cout << fmt::format("{}: {}, last seen {}, agent {}\n",
                                 node["name"].get<std::string>(),
                                 node["connected"].get<bool>() ? "connected" : "not connected",
                                 node["last_seen"].get<std::string>(),
                                 node["agent_version"].get<std::string>().empty()
                                     ? "?"
                                     : node["agent_version"].get<std::string>());
        for (const nlohmann::json& c : node["certificates"]) {
            std::cout << fmt::format("  {} ({}): serial {}\n",
                                     c["name"].get<std::string>(),
                                     c["state"].get<std::string>(),
                                     c["serial"].get<std::string>());
            for (const char* field : {"subject",
                                      "issuer",
                                      "key",
                                      "signature_algorithm",
                                      "activated",
                                      "expires",
                                      "sha1_fingerprint"}) {
                if (c.contains(field)) {
                    std::cout << fmt::format(
                        "    {:<20} {}\n", std::string(field) + ":", c[field].get<std::string>());
                }
            }
        }
    }
    return ExitCode::ok;
}

ExitCode report_action(const NodeOptions& o, const store::NodeActionRecord& action) {
    if (o.json) {
        std::cout << json_text({{"node", action.node},
                                {"action", action.id},
                                {"kind", action.kind},
                                {"state", action.state},
                                {"result", action.result}})
                  << '\n';
    } else if (action.state == "queued" || action.state == "delivered") {
        std::cout << fmt::format(
            "{} action {} for {}: {}\n", action.kind, action.id, action.node, action.state);
    } else {
        std::cout << fmt::format("{} action {} on {}: {}{}{}\n",
                                 action.kind,
                                 action.id,
                                 action.node,
                                 action.state,
                                 action.result.empty() ? "" : ": ",
                                 action.result);
    }
    return action.state == "failed" ? ExitCode::findings : ExitCode::ok;
}

ExitCode run_renew(const NodeOptions& o) {
    const auto timeout = core::parse_duration(o.timeout, "--timeout");
    const auto store = open_store(o.authority);
    const std::string authority_name = authority::choose_authority(*store, o.authority.ca);
    const core::SystemClock clock;
    store::NodeActionRecord action{.authority = authority_name,
                                   .node = o.node,
                                   .kind = std::string(enrollment::to_string(enrollment::ActionKind::renew)),
                                   .argument = o.certificate,
                                   .requested_by = cli_actor(),
                                   .created_at = clock.now()};
    store->commit([&](store::Transaction& tx) {
        const auto node = store::find_node(tx, authority_name, o.node);
        if (!node) {
            throw Error(
                ErrorCode::not_found,
                fmt::format(
                    "No node {} has reached authority \"{}\" (certfleet node list)", o.node, authority_name));
        }
        if (!enrollment::is_connected(node->last_poll_at, action.created_at)) {
            throw Error(
                ErrorCode::unavailable,
                fmt::format("No connection with {} (last poll {}): its agent is not running or cannot "
                            "reach the server",
                            o.node,
                            seen(node->last_poll_at)));
        }
        store::insert_node_action(tx, action);
        store::append_audit(tx,
                            {.at = action.created_at,
                             .actor = action.requested_by,
                             .action = "node.action.queue",
                             .target = fmt::format("{} action {} renew {}", o.node, action.id, o.certificate),
                             .outcome = "ok",
                             .authority = authority_name});
    });
    if (o.no_wait) {
        return report_action(o, action);
    }
    // Wait on the action's state, bounded by --timeout: the node's agent holds the long-poll, so it
    // normally reports within seconds.
    ProgressLine progress(!o.json);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    for (;;) {
        const auto current = store->read(
            [&](store::Transaction& tx) { return store::find_node_action(tx, authority_name, action.id); });
        if (current && current->state != "queued" && current->state != "delivered") {
            return report_action(o, *current);
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
        progress.show(fmt::format(
            "waiting for {}: action {} {}", o.node, action.id, current ? current->state : "queued"));
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

}  // namespace

void add_node_command(CLI::App& app, CommandAction& action) {
    CLI::App* node = app.add_subcommand(
        "node",
        "Nodes known to the server, and actions for them (renew a node from anywhere).\n\n"
        "A node is known once its agent checks in or polls for actions (certfleet agent, daemon mode).");
    node->require_subcommand(1);

    auto list = std::make_shared<NodeOptions>();
    CLI::App* ls = node->add_subcommand(
        "list",
        "List the nodes: connected or not, last seen, agent version, and per tracked certificate\n"
        "its subject, issuer, key, signature algorithm, activated, expires and SHA-1 fingerprint.\n\n"
        "A node is connected while its agent holds the actions long-poll or polled within two\n"
        "minutes.\n\nExample:\n  certfleet node list --json\n\nExit status: 0 listed; 2 invalid input.");
    add_authority_options(*ls, list->authority, false);
    ls->add_flag("--json", list->json, "Print the nodes as JSON");
    ls->callback([list, &action] { action = [list] { return run_list(*list); }; });

    auto renew = std::make_shared<NodeOptions>();
    CLI::App* rn = node->add_subcommand(
        "renew",
        "Renew a node's certificates now, through its agent (seed 001's \"renew node X\").\n\n"
        "Queues a renew action for NODE; its agent, holding the long-poll, gets it within a second,\n"
        "renews (a new key on the node), deploys with its own hooks and health checks, and reports.\n"
        "By default this waits for that report. The server never sends a command: the node runs only\n"
        "what its own configuration defines.\n\n"
        "Example:\n  certfleet node renew edge1 --timeout 2m\n\n"
        "Exit status: 0 renewed (or queued with --no-wait); 1 the node reported a failure;\n"
        "2 invalid input; 4 no such node; 5 no connection with the node, or no report in time.");
    add_authority_options(*rn, renew->authority, false);
    rn->add_option("NODE", renew->node, "The node's name (certfleet node list)")->required();
    rn->add_option("--certificate",
                   renew->certificate,
                   "Only this tracked certificate of the node (its name in agent.yaml); default: all");
    rn->add_option("--timeout", renew->timeout, "How long to wait for the node's report (default 60s)");
    rn->add_flag("--no-wait", renew->no_wait, "Queue the action and return");
    rn->add_flag("--json", renew->json, "Print the outcome as JSON");
    rn->callback([renew, &action] { action = [renew] { return run_renew(*renew); }; });

    add_node_run_command(*node, action);
    add_node_package_command(*node, action);
}

}  // namespace certfleet::cli
