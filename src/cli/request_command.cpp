#include "cli/command.hpp"
#include "cli/fleet.hpp"
#include "cli/json_output.hpp"
#include "core/error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct RequestOptions {
    AuthorityOptions authority;
    ServerConnectionOptions server;
    std::string target;  // ID or NAME
    bool all = false;
    bool json = false;
    std::string reason;
};

nlohmann::json requests_json(const api::RequestList& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const api::RequestSummary& r : list.requests) {
        out.push_back(api::to_json(r));
    }
    return out;
}

ExitCode run_list(const RequestOptions& o) {
    const api::RequestList list = open_fleet(o.authority, o.server)->list_requests(o.all);
    if (o.json) {
        std::cout << json_text(requests_json(list)) << '\n';
        return ExitCode::ok;
    }
    std::cout << fmt::format("{:<5} {:<32} {:<8} {:<7} {:<21} {}\n",
                             "ID",
                             "NAME",
                             "STATE",
                             "SOURCE",
                             "SUBMITTED",
                             "NAMES / DECISION");
    for (const api::RequestSummary& r : list.requests) {
        const std::string detail =
            r.state == "pending"
                ? r.names
                : fmt::format(
                      "{} by {}{}", r.state, r.decided_by, r.serial.empty() ? "" : " serial " + r.serial);
        std::cout << fmt::format(
            "{:<5} {:<32} {:<8} {:<7} {:<21} {}\n", r.id, r.name, r.state, r.source, r.submitted_at, detail);
    }
    if (list.requests.empty()) {
        std::cerr << (o.all ? "no certificate requests\n" : "no pending certificate requests\n");
    }
    return ExitCode::ok;
}

ExitCode run_approve(const RequestOptions& o) {
    if (o.all == !o.target.empty()) {
        throw core::Error(core::ErrorCode::invalid_input, "request approve: give one ID or NAME, or --all");
    }
    const api::RequestList approved =
        open_fleet(o.authority, o.server)->approve_requests({.request = o.target, .all = o.all});
    if (o.json) {
        std::cout << json_text(requests_json(approved)) << '\n';
        return ExitCode::ok;
    }
    for (const api::RequestSummary& r : approved.requests) {
        std::cout << fmt::format(
            "request {} {}: issued serial {}, expires {}\n", r.id, r.name, r.serial, r.expires);
    }
    if (approved.requests.empty()) {
        std::cerr << "no pending certificate requests\n";
    }
    return ExitCode::ok;
}

ExitCode run_deny(const RequestOptions& o) {
    const api::RequestSummary denied =
        open_fleet(o.authority, o.server)->deny_request({.request = o.target, .reason = o.reason});
    if (o.json) {
        std::cout << json_text(api::to_json(denied)) << '\n';
    } else {
        std::cout << fmt::format("request {} {}: denied ({})\n", denied.id, denied.name, denied.reason);
    }
    return ExitCode::ok;
}

}  // namespace

void add_request_command(CLI::App& app, CommandAction& action) {
    CLI::App* request = app.add_subcommand(
        "request",
        "Certificate requests waiting for an operator (POST /v1/requests), as puppet cert list/sign.");
    request->require_subcommand(1);
    auto o = std::make_shared<RequestOptions>();

    CLI::App* list = request->add_subcommand(
        "list",
        "List pending certificate requests (with --all, the decided ones too): id, name, state, source\n"
        "(api or puppet), when submitted, and the names asked for or the decision.\n\n"
        "Examples:\n"
        "  certfleet request list\n"
        "  certfleet request list --all --json\n"
        "  certfleet request list --server https://ca.example.com:8443 --ca-file root.pem \\\n"
        "      --admin-cert reader.pem --admin-key reader.key\n\n"
        "With --server (or $CERTFLEET_SERVER) it asks that server, as an admin certificate of role\n"
        "reader or above (certfleet admin-cert issue), instead of reading the store.\n\n"
        "Exit status: 0 listed (also when none); 2 several authorities and no --ca; 3 the server refused\n"
        "the admin certificate; 4 no such authority; 5 store or server unavailable.");
    add_authority_options(*list, o->authority, false);
    add_server_connection_options(*list, o->server);
    list->add_flag("--all", o->all, "Also the issued and denied requests");
    list->add_flag("--json", o->json, "Print an array of {id, name, names, state, source, profile, ...}");
    list->callback([&action, o] { action = [o] { return run_list(*o); }; });

    CLI::App* approve = request->add_subcommand(
        "approve",
        "Sign a pending request (by id, or by the name it asks as) or every pending request (--all):\n"
        "the authority issues its certificate with the request's profile, after its policy, and the\n"
        "node fetches it (GET /v1/requests/ID, or certfleet enroll --wait). Needs the CA passphrase.\n\n"
        "Examples:\n"
        "  certfleet request approve 3\n"
        "  certfleet request approve node2.example.com --passphrase-file ca.pass\n"
        "  certfleet request approve --all\n"
        "  certfleet request approve node2.example.com --server https://ca.example.com:8443 \\\n"
        "      --ca-file root.pem --admin-cert alice.pem --admin-key alice.key\n\n"
        "With --server the server signs (no passphrase here); the admin certificate needs role operator.\n\n"
        "Exit status: 0 approved; 2 neither or both of ID/NAME and --all, or several authorities and\n"
        "no --ca; 3 wrong CA passphrase, the policy refuses, or the server refused the admin\n"
        "certificate; 4 no such pending request or authority; 5 store or server unavailable.");
    add_authority_options(*approve, o->authority, true);
    add_server_connection_options(*approve, o->server);
    approve->add_option("target", o->target, "Request id, or the name of a pending request");
    approve->add_flag("--all", o->all, "Every pending request");
    approve->add_flag("--json", o->json, "Print the approved requests as a JSON array");
    approve->callback([&action, o] { action = [o] { return run_approve(*o); }; });

    CLI::App* deny = request->add_subcommand(
        "deny",
        "Refuse a pending request (by id or name); the node's GET /v1/requests/ID then says denied\n"
        "with the reason. No CA passphrase is needed.\n\n"
        "Examples:\n"
        "  certfleet request deny 4 --reason \"unknown host\"\n\n"
        "With --server it asks that server; the admin certificate needs role operator.\n\n"
        "Exit status: 0 denied; 2 several authorities and no --ca; 3 the server refused the admin\n"
        "certificate; 4 no such pending request or authority; 5 store or server unavailable.");
    add_authority_options(*deny, o->authority, false);
    add_server_connection_options(*deny, o->server);
    deny->add_option("target", o->target, "Request id, or the name of a pending request")->required();
    deny->add_option("--reason", o->reason, "Why (shown to the node)");
    deny->add_flag("--json", o->json, "Print the denied request as JSON");
    deny->callback([&action, o] { action = [o] { return run_deny(*o); }; });
}

}  // namespace certfleet::cli
