// certfleet admin-cert: the certificates that may administer an authority over HTTPS (the Puppet CA
// API's certificate_status routes), allow-listed by serial with a role (store/admin_records.hpp).

#include "cli/admin_cert_command.hpp"

#include "authority/authority.hpp"
#include "authority/ledger.hpp"
#include "authority/revocation.hpp"
#include "authority/serial_number.hpp"
#include "cli/authority_options.hpp"
#include "cli/command.hpp"
#include "cli/json_output.hpp"
#include "core/clock.hpp"
#include "core/duration.hpp"
#include "core/file.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "pki/private_key.hpp"
#include "store/admin_records.hpp"
#include "store/audit_log.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace certfleet::cli {
namespace {

using core::Error;
using core::ErrorCode;

struct AdminCertOptions {
    AuthorityOptions authority;
    std::string name;  // issue: NAME; revoke: NAME or SERIAL
    std::string role;
    std::string out_cert;
    std::string out_key;
    std::string validity = "90d";
    std::string key_type = "ec:p256";
    std::string crl_validity = "7d";
    bool json = false;
};

// Admin names are audited as admin:NAME: letters, digits, '.', '-', '_', '@'.
void require_admin_name(const std::string& name) {
    const bool valid =
        !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_' ||
                   c == '@';
        });
    if (!valid) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("NAME \"{}\": 1 to 64 letters, digits, '.', '-', '_' or '@'", name));
    }
}

void refuse_existing(const std::string& path, const char* flag) {
    std::error_code ec;
    if (std::filesystem::exists(std::filesystem::symlink_status(path, ec))) {
        throw Error(ErrorCode::conflict,
                    fmt::format("{} {}: already exists (nothing was issued)", flag, path));
    }
}

ExitCode run_issue(const AdminCertOptions& o) {
    require_admin_name(o.name);
    const store::AdminRole role = store::parse_admin_role(o.role, "--role");
    const core::Seconds validity = core::parse_duration(o.validity, "--validity");
    refuse_existing(o.out_cert, "--out-cert");
    refuse_existing(o.out_key, "--out-key");
    const auto store = open_store(o.authority);
    const std::string authority = authority::choose_authority(*store, o.authority.ca);
    if (store->read(
            [&](store::Transaction& tx) { return store::find_admin_by_name(tx, authority, o.name); })) {
        throw Error(
            ErrorCode::conflict,
            fmt::format(R"(admin "{}" of authority "{}" exists: revoke it first)", o.name, authority));
    }
    const core::SystemClock clock;
    const store::Actor actor{.name = cli_actor(), .at = clock.now()};
    const authority::Authority ca = authority::Authority::open(
        *store, authority, read_ca_passphrase(o.authority.passphrase_file, false), actor);
    const pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse(o.key_type, "--key-type"));
    // The OU keeps admin certificates out of the Puppet certnames (exactly CN=NAME) and says what they are.
    const pki::Csr csr = pki::Csr::create({.subject = fmt::format("CN={},OU=certfleet-admin", o.name)}, key);
    const authority::IssuedCertificate issued = ca.issue(
        {.csr = &csr,
         .profile = "client",
         .validity = validity,
         .requester = actor.name,
         .also_with_record =
             [&](store::Transaction& tx, const store::CertificateRecord& record) {
                 store::insert_admin_certificate(tx,
                                                 {.serial_hex = record.serial_hex,
                                                  .authority = authority,
                                                  .name = o.name,
                                                  .role = role,
                                                  .created_at = actor.at,
                                                  .created_by = actor.name});
                 store::append_audit(tx,
                                     {.at = actor.at,
                                      .actor = actor.name,
                                      .action = "admin_cert.issue",
                                      .target = fmt::format("admin:{} serial {}", o.name, record.serial_hex),
                                      .outcome = fmt::format("ok: role {}", store::to_string(role)),
                                      .authority = authority});
             }},
        clock.now());
    core::write_file_atomically(o.out_key, key.to_pkcs8_pem(), {.mode = 0600});
    core::write_file_atomically(o.out_cert, issued.fullchain_pem(), {.mode = 0644});
    std::cerr << fmt::format("admin {} ({}) of \"{}\": serial {}, expires {}; wrote {} and {}\n",
                             o.name,
                             store::to_string(role),
                             authority,
                             issued.certificate.serial_hex(),
                             pki::format_time(issued.certificate.not_after()),
                             o.out_cert,
                             o.out_key);
    return ExitCode::ok;
}

ExitCode run_list(const AdminCertOptions& o) {
    const auto store = open_store(o.authority);
    const std::string authority = authority::choose_authority(*store, o.authority.ca);
    const auto admins =
        store->read([&](store::Transaction& tx) { return store::list_admin_certificates(tx, authority); });
    const core::TimePoint now = core::SystemClock().now();
    nlohmann::json rows = nlohmann::json::array();
    if (!o.json) {
        std::cout << fmt::format(
            "{:<20} {:<9} {:<34} {:<21} {}\n", "NAME", "ROLE", "SERIAL", "EXPIRES", "STATE");
    }
    for (const store::AdminCertificateRecord& admin : admins) {
        const auto certificate = store->find_certificate(admin.serial_hex);
        const std::string state = !certificate                                               ? "missing"
                                  : certificate->status == store::CertificateStatus::revoked ? "revoked"
                                  : certificate->not_after < now                             ? "expired"
                                                                                             : "valid";
        const std::string expires = certificate ? pki::format_time(certificate->not_after) : "";
        if (o.json) {
            rows.push_back({{"name", admin.name},
                            {"role", store::to_string(admin.role)},
                            {"serial", admin.serial_hex},
                            {"not_after", expires},
                            {"state", state},
                            {"created_at", pki::format_time(admin.created_at)},
                            {"created_by", admin.created_by}});
        } else {
            std::cout << fmt::format("{:<20} {:<9} {:<34} {:<21} {}\n",
                                     admin.name,
                                     store::to_string(admin.role),
                                     admin.serial_hex,
                                     expires,
                                     state);
        }
    }
    if (o.json) {
        std::cout << json_text(rows) << '\n';
    } else if (admins.empty()) {
        std::cerr << "no admin certificates\n";
    }
    return ExitCode::ok;
}

ExitCode run_revoke(const AdminCertOptions& o) {
    const auto store = open_store(o.authority);
    const std::string authority = authority::choose_authority(*store, o.authority.ca);
    // NAME first; a name that is also hexadecimal means the admin of that name while one exists.
    auto admin =
        store->read([&](store::Transaction& tx) { return store::find_admin_by_name(tx, authority, o.name); });
    if (!admin) {
        std::string serial;
        try {
            serial = authority::normalize_serial_hex(o.name);
        } catch (const Error&) {
        }
        if (!serial.empty()) {
            admin = store->read(
                [&](store::Transaction& tx) { return store::find_admin_certificate(tx, serial); });
        }
    }
    if (!admin || admin->authority != authority) {
        throw Error(
            ErrorCode::not_found,
            fmt::format(
                R"(no admin certificate named or with serial "{}" in authority "{}")", o.name, authority));
    }
    const core::SystemClock clock;
    const store::Actor actor{.name = cli_actor(), .at = clock.now()};
    // With the CA passphrase the CRL is signed at once; it is checked before anything changes.
    const bool can_sign =
        !o.authority.passphrase_file.empty() || std::getenv("CERTFLEET_CA_PASSPHRASE") != nullptr;
    std::optional<authority::Authority> ca;
    if (can_sign) {
        ca.emplace(authority::Authority::open(
            *store, authority, read_ca_passphrase(o.authority.passphrase_file, false), actor));
    }
    // Off the list first: should the revocation fail, the certificate is already no admin.
    store->commit([&](store::Transaction& tx) {
        store::delete_admin_certificate(tx, admin->serial_hex);
        store::append_audit(tx,
                            {.at = actor.at,
                             .actor = actor.name,
                             .action = "admin_cert.revoke",
                             .target = fmt::format("admin:{} serial {}", admin->name, admin->serial_hex),
                             .outcome = "ok",
                             .authority = authority});
    });
    const auto certificate = store->find_certificate(admin->serial_hex);
    if (certificate && certificate->status != store::CertificateStatus::revoked) {
        const auto reason = authority::RevocationReason::cessation_of_operation;
        if (ca) {
            ca->revoke(
                admin->serial_hex, reason, actor, core::parse_duration(o.crl_validity, "--crl-validity"));
        } else {
            authority::Ledger(*store).revoke(authority, admin->serial_hex, reason, actor);
        }
    }
    std::cout << fmt::format(
        "revoked admin {} ({}), serial {}\n", admin->name, store::to_string(admin->role), admin->serial_hex);
    if (!can_sign) {
        std::cout << "publish it: certfleet crl generate\n";
    }
    return ExitCode::ok;
}

}  // namespace

void add_admin_cert_command(CLI::App& app, CommandAction& action) {
    CLI::App* admin = app.add_subcommand(
        "admin-cert", "Admin client certificates for the server's admin routes, allow-listed by serial.");
    admin->require_subcommand(1);
    auto o = std::make_shared<AdminCertOptions>();
    const auto bind = [&action, o](CLI::App* command, ExitCode (*run)(const AdminCertOptions&)) {
        command->callback([&action, o, run] { action = [o, run] { return run(*o); }; });
    };

    CLI::App* issue = admin->add_subcommand(
        "issue",
        "Issue a client certificate (profile client, subject CN=NAME,OU=certfleet-admin) with a new key,\n"
        "and allow-list its serial with ROLE: admin (everything), operator (sign, deny and revoke\n"
        "through the Puppet CA API's certificate_status, node actions) or reader (read statuses).\n"
        "The server audits what it does as admin:NAME. A certificate of the CA that is not on the\n"
        "list is never an admin, whatever its name.\n\n"
        "Example:\n"
        "  certfleet admin-cert issue alice --role operator --out-cert alice.pem --out-key alice.key\n\n"
        "Exit status: 0 issued; 2 invalid name, role or validity; 3 refused by policy or wrong CA\n"
        "passphrase; 4 no such authority, the name is already an admin, or an output file exists;\n"
        "5 store unavailable.");
    add_authority_options(*issue, o->authority, true);
    issue->add_option("name", o->name, "The admin's name (audited as admin:NAME)")->required();
    issue->add_option("--role", o->role, "admin, operator or reader")->required();
    issue->add_option("--out-cert", o->out_cert, "Write the certificate (with its chain) here")->required();
    issue->add_option("--out-key", o->out_key, "Write the new private key here (0600)")->required();
    issue->add_option("--validity", o->validity, "Lifetime, e.g. 90d")->capture_default_str();
    issue->add_option("--key-type", o->key_type, "ec:p256, rsa:2048, ...")->capture_default_str();
    bind(issue, run_issue);

    CLI::App* list = admin->add_subcommand(
        "list",
        "List the admin certificates with their role, serial, expiry and state.\n\n"
        "Example:\n  certfleet admin-cert list --json\n\n"
        "Exit status: 0 listed; 2 several authorities and no --ca; 4 no such authority;\n"
        "5 store unavailable.");
    add_authority_options(*list, o->authority, false);
    list->add_flag("--json", o->json, "Print JSON");
    bind(list, run_list);

    CLI::App* revoke = admin->add_subcommand(
        "revoke",
        "Take an admin off the list and revoke its certificate (reason cessationOfOperation). With the\n"
        "CA passphrase the CRL is signed again at once; without it, run `crl generate`.\n\n"
        "Example:\n  certfleet admin-cert revoke alice --passphrase-file ca.pass\n\n"
        "Exit status: 0 revoked; 2 several authorities and no --ca; 3 wrong CA passphrase;\n"
        "4 no such authority or admin; 5 store unavailable.");
    add_authority_options(*revoke, o->authority, true);
    revoke->add_option("admin", o->name, "NAME or SERIAL (hex)")->required();
    revoke->add_option("--crl-validity", o->crl_validity, "nextUpdate of the regenerated CRL")
        ->capture_default_str();
    bind(revoke, run_revoke);
}

}  // namespace certfleet::cli
