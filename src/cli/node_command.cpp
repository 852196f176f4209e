#include "cli/command.hpp"
#include "cli/fleet.hpp"
#include "cli/json_output.hpp"
#include "cli/node_package_command.hpp"
#include "cli/node_run_command.hpp"
#include "core/duration.hpp"
#include "core/error.hpp"
#include "enrollment/node_presence.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct NodeOptions {
    AuthorityOptions authority;
    ServerConnectionOptions server;
    std::string node;
    std::string certificate;
    std::string timeout = "60s";
    bool no_wait = false;
    bool json = false;
};

ExitCode run_list(const NodeOptions& o) {
    const std::unique_ptr<Fleet> fleet = open_fleet(o.authority, o.server);
    const api::NodeList list = fleet->list_nodes();
    if (o.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const api::NodeSummary& node : list.nodes) {
            out.push_back(api::to_json(node));
        }
        std::cout << json_text(out) << '\n';
        return ExitCode::ok;
    }
    if (list.nodes.empty()) {
        std::cout << fmt::format("no node has reached {} yet\n", fleet->where());
    }
    for (const api::NodeSummary& node : list.nodes) {
        std::cout << fmt::format("{}: {}, last seen {}, agent {}\n",
                                 node.name,
                                 node.connected ? "connected" : "not connected",
                                 node.last_seen,
                                 node.agent_version.empty() ? "?" : node.agent_version);
        for (const api::NodeCertificate& c : node.certificates) {
            std::cout << fmt::format("  {} ({}): serial {}\n", c.name, c.state, c.serial);
            for (const auto& [field, value] : {std::pair{"subject", &c.subject},
                                               std::pair{"issuer", &c.issuer},
                                               std::pair{"key", &c.key},
                                               std::pair{"signature_algorithm", &c.signature_algorithm},
                                               std::pair{"activated", &c.activated},
                                               std::pair{"expires", &c.expires},
                                               std::pair{"sha1_fingerprint", &c.sha1_fingerprint}}) {
                if (!value->empty()) {
                    std::cout << fmt::format("    {:<20} {}\n", std::string(field) + ":", *value);
                }
            }
        }
    }
    return ExitCode::ok;
}

ExitCode report_action(const NodeOptions& o, const api::NodeActionStatus& action) {
    if (o.json) {
        std::cout << json_text({{"node", action.node},
                                {"action", action.id},
                                {"kind", action.kind},
                                {"state", action.state},
                                {"result", action.result}})
                  << '\n';
    } else if (action.is_open()) {
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
    static_cast<void>(core::parse_duration(o.timeout, "--timeout"));  // refused before anything is queued
    const std::unique_ptr<Fleet> fleet = open_fleet(o.authority, o.server);
    const api::NodeActionStatus action =
        fleet->queue_node_action({.node = o.node,
                                  .kind = std::string(enrollment::to_string(enrollment::ActionKind::renew)),
                                  .argument = o.certificate});
    if (o.no_wait) {
        return report_action(o, action);
    }
    return report_action(o, wait_for_report(*fleet, action, o.timeout, !o.json));
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
        "minutes.\n\nWith --server (or $CERTFLEET_SERVER) it asks that server, as an admin certificate of\n"
        "role reader or above, instead of reading the store.\n\n"
        "Examples:\n  certfleet node list --json\n"
        "  certfleet node list --server https://ca.example.com:8443 --ca-file root.pem \\\n"
        "      --admin-cert reader.pem --admin-key reader.key\n\n"
        "Exit status: 0 listed; 2 invalid input; 3 the server refused the admin certificate;\n"
        "5 server unavailable.");
    add_authority_options(*ls, list->authority, false);
    add_server_connection_options(*ls, list->server);
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
        "With --server the server queues it (admin certificate of role operator) and this waits on it\n"
        "there.\n\n"
        "Examples:\n  certfleet node renew edge1 --timeout 2m\n"
        "  certfleet node renew edge1 --server https://ca.example.com:8443 --ca-file root.pem \\\n"
        "      --admin-cert alice.pem --admin-key alice.key\n\n"
        "Exit status: 0 renewed (or queued with --no-wait); 1 the node reported a failure;\n"
        "2 invalid input; 3 the server refused the admin certificate; 4 no such node; 5 no connection\n"
        "with the node, no report in time, or the server unavailable.");
    add_authority_options(*rn, renew->authority, false);
    add_server_connection_options(*rn, renew->server);
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
