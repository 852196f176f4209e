#include "authority/authority.hpp"
#include "cli/authority_options.hpp"
#include "cli/command.hpp"
#include "cli/json_output.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/utc_time.hpp"
#include "enrollment/request_queue.hpp"
#include "enrollment/token_enrollment.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct RequestOptions {
    AuthorityOptions authority;
    std::string target;  // ID or NAME
    bool all = false;
    bool json = false;
    std::string reason;
};

std::string requested_names_of(const store::CertificateRequestRecord& request) {
    std::string names;
    try {
        for (const pki::GeneralName& name :
             enrollment::requested_names(pki::Csr::from_pem(request.csr_pem, "stored request"))) {
            names += (names.empty() ? "" : ",") + pki::to_string(name);
        }
    } catch (const core::Error&) {
        names = "?";
    }
    return names;
}

nlohmann::json request_json(const store::CertificateRequestRecord& r) {
    return {
        {"id", r.id},
        {"name", r.name},
        {"names", requested_names_of(r)},
        {"state", std::string(store::to_string(r.state))},
        {"source", r.source},
        {"profile", r.profile},
        {"submitted_at", core::format_time(r.submitted_at)},
        {"decided_at", r.decided_at ? nlohmann::json(core::format_time(*r.decided_at)) : nlohmann::json()},
        {"decided_by", r.decided_by},
        {"reason", r.reason},
        {"serial", r.certificate_serial}};
}

ExitCode run_list(const RequestOptions& o) {
    const auto store = open_store(o.authority);
    const std::string authority = authority::choose_authority(*store, o.authority.ca);
    const auto requests = store->read(
        [&](store::Transaction& tx) { return store::list_certificate_requests(tx, authority, o.all); });
    if (o.json) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& r : requests) {
            out.push_back(request_json(r));
        }
        std::cout << json_text(out) << '\n';
        return ExitCode::ok;
    }
    std::cout << fmt::format("{:<5} {:<32} {:<8} {:<7} {:<21} {}\n",
                             "ID",
                             "NAME",
                             "STATE",
                             "SOURCE",
                             "SUBMITTED",
                             "NAMES / DECISION");
    for (const auto& r : requests) {
        const std::string detail =
            r.state == store::RequestState::pending
                ? requested_names_of(r)
                : fmt::format("{} by {}{}",
                              store::to_string(r.state),
                              r.decided_by,
                              r.certificate_serial.empty() ? "" : " serial " + r.certificate_serial);
        std::cout << fmt::format("{:<5} {:<32} {:<8} {:<7} {:<21} {}\n",
                                 r.id,
                                 r.name,
                                 store::to_string(r.state),
                                 r.source,
                                 core::format_time(r.submitted_at),
                                 detail);
    }
    if (requests.empty()) {
        std::cerr << (o.all ? "no certificate requests\n" : "no pending certificate requests\n");
    }
    return ExitCode::ok;
}

ExitCode run_approve(const RequestOptions& o) {
    if (o.all == !o.target.empty()) {
        throw core::Error(core::ErrorCode::invalid_input, "request approve: give one ID or NAME, or --all");
    }
    const auto store = open_store(o.authority);
    const std::string name = authority::choose_authority(*store, o.authority.ca);
    std::vector<std::int64_t> ids;
    if (o.all) {
        for (const auto& r : store->read(
                 [&](store::Transaction& tx) { return store::list_certificate_requests(tx, name, false); })) {
            ids.push_back(r.id);
        }
    } else {
        ids.push_back(enrollment::pending_request(*store, name, o.target).id);
    }
    const core::SystemClock clock;
    const core::Secret passphrase = read_ca_passphrase(o.authority.passphrase_file, false);
    const authority::Authority ca =
        authority::Authority::open(*store, name, passphrase, {.name = cli_actor(), .at = clock.now()});
    nlohmann::json out = nlohmann::json::array();
    for (const std::int64_t id : ids) {
        const enrollment::RequestView view =
            enrollment::approve_request(*store, ca, id, {.name = cli_actor(), .at = clock.now()});
        out.push_back(request_json(view.request));
        if (!o.json) {
            std::cout << fmt::format("request {} {}: issued serial {}, expires {}\n",
                                     id,
                                     view.request.name,
                                     view.request.certificate_serial,
                                     pki::format_time(view.issued->certificate.not_after()));
        }
    }
    if (o.json) {
        std::cout << json_text(out) << '\n';
    } else if (ids.empty()) {
        std::cerr << "no pending certificate requests\n";
    }
    return ExitCode::ok;
}

ExitCode run_deny(const RequestOptions& o) {
    const auto store = open_store(o.authority);
    const std::string name = authority::choose_authority(*store, o.authority.ca);
    const std::int64_t id = enrollment::pending_request(*store, name, o.target).id;
    const store::CertificateRequestRecord denied = enrollment::deny_request(
        *store, name, id, o.reason, {.name = cli_actor(), .at = core::SystemClock().now()});
    if (o.json) {
        std::cout << json_text(request_json(denied)) << '\n';
    } else {
        std::cout << fmt::format("request {} {}: denied ({})\n", id, denied.name, denied.reason);
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
        "  certfleet request list --all --json\n\n"
        "Exit status: 0 listed (also when none); 2 several authorities and no --ca; 4 no such authority;\n"
        "5 store unavailable.");
    add_authority_options(*list, o->authority, false);
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
        "  certfleet request approve --all\n\n"
        "Exit status: 0 approved; 2 neither or both of ID/NAME and --all, or several authorities and\n"
        "no --ca; 3 wrong CA passphrase or the policy refuses; 4 no such pending request or authority;\n"
        "5 store unavailable.");
    add_authority_options(*approve, o->authority, true);
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
        "Exit status: 0 denied; 2 several authorities and no --ca; 4 no such pending request or\n"
        "authority; 5 store unavailable.");
    add_authority_options(*deny, o->authority, false);
    deny->add_option("target", o->target, "Request id, or the name of a pending request")->required();
    deny->add_option("--reason", o->reason, "Why (shown to the node)");
    deny->add_flag("--json", o->json, "Print the denied request as JSON");
    deny->callback([&action, o] { action = [o] { return run_deny(*o); }; });
}

}  // namespace certfleet::cli
