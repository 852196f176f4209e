#include "cli/command.hpp"
#include "cli/fleet.hpp"
#include "cli/json_output.hpp"
#include "core/duration.hpp"
#include "pki/subject_alt_names.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct TokenOptions {
    AuthorityOptions authority;
    ServerConnectionOptions server;
    std::string name;
    std::vector<std::string> sans;
    std::string ttl = "1h";
    std::string profile = "peer";
    bool json = false;
};

ExitCode run_create(const TokenOptions& o) {
    // The names are checked here, where the flags can be named; the store or the server checks again.
    std::vector<pki::GeneralName> names{pki::parse_general_name(o.name, "--name")};
    for (const std::string& list : o.sans) {
        for (pki::GeneralName& name : pki::parse_general_names(list, "--san")) {
            if (std::find(names.begin(), names.end(), name) == names.end()) {
                names.push_back(std::move(name));
            }
        }
    }
    api::TokenRequest request{.profile = o.profile,
                              .ttl_seconds = core::parse_duration(o.ttl, "--ttl").count()};
    for (const pki::GeneralName& name : names) {
        request.names.push_back(pki::to_string(name));
    }
    const api::TokenGrant grant = open_fleet(o.authority, o.server)->create_token(request);
    // Standard output carries the token alone (or the JSON holding it), so `$(certfleet token create
    // ...)` captures it; the rest goes to standard error. The token is shown once and stored hashed.
    if (o.json) {
        std::cout << json_text(api::to_json(grant)) << '\n';
    } else {
        std::cout << grant.token.reveal() << '\n';
    }
    std::string granted;
    for (const std::string& name : grant.names) {
        granted += (granted.empty() ? "" : ", ") + name;
    }
    std::cerr << fmt::format("token {} for {} ({} profile of \"{}\"), works once until {}\n",
                             grant.id,
                             granted,
                             grant.profile,
                             grant.authority,
                             grant.expires_at);
    return ExitCode::ok;
}

}  // namespace

void add_token_command(CLI::App& app, CommandAction& action) {
    CLI::App* token =
        app.add_subcommand("token", "One-time enrollment tokens for a node's first certificate.");
    token->require_subcommand(1);
    auto o = std::make_shared<TokenOptions>();
    CLI::App* create = token->add_subcommand(
        "create",
        "Make a one-time token that lets a node get its first certificate (POST /v1/enroll,\n"
        "certfleet enroll --token) for the given names, and nothing else.\n\n"
        "The token is printed alone on standard output (scripts capture it) and stored only as its\n"
        "SHA-256; it works once, before --ttl runs out, for a CSR whose names are all granted. No CA\n"
        "passphrase is needed: the server signs when the token is used.\n\n"
        "Examples:\n"
        "  TOKEN=$(certfleet token create --name node1.example.com --san IP:10.0.0.1 --ttl 1h)\n"
        "  certfleet token create --name node1.example.com --json\n"
        "  certfleet token create --name node1.example.com --server https://ca.example.com:8443 \\\n"
        "      --ca-file root.pem --admin-cert admin.pem --admin-key admin.key\n\n"
        "With --server (or $CERTFLEET_SERVER) the server creates it; the admin certificate needs role\n"
        "admin.\n\n"
        "Exit status: 0 token created; 2 invalid name, ttl or profile; 3 the server refused the admin\n"
        "certificate; 4 no such authority; 5 store or server unavailable.");
    add_authority_options(*create, o->authority, false);
    add_server_connection_options(*create, o->server);
    create->add_option("--name", o->name, "The node's name (DNS name, or IP:ADDRESS); granted")->required();
    create->add_option("--san", o->sans, "More names to grant, comma-separated (DNS:a,IP:10.0.0.1)");
    create->add_option("--ttl", o->ttl, "How long the token works (30m, 1h, 7d)")->capture_default_str();
    create->add_option("--profile", o->profile, "The profile it issues with")->capture_default_str();
    create->add_flag("--json", o->json, "Print {token, id, authority, names, profile, expires_at}");
    create->callback([&action, o] { action = [o] { return run_create(*o); }; });
}

}  // namespace certfleet::cli
