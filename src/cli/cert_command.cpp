#include "authority/authority.hpp"
#include "authority/ledger.hpp"
#include "authority/revocation.hpp"
#include "authority/serial_number.hpp"
#include "cli/authority_options.hpp"
#include "cli/cert_renew_command.hpp"
#include "cli/command.hpp"
#include "cli/crl_warning.hpp"
#include "cli/issued_output.hpp"
#include "cli/json_output.hpp"
#include "cli/object_report.hpp"
#include "core/clock.hpp"
#include "core/file.hpp"
#include "pki/distinguished_name.hpp"
#include "pki/pem_reader.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fnmatch.h>
#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct CertOptions {
    AuthorityOptions authority;
    std::string csr_file;
    std::string profile = "server";
    std::string validity;
    std::vector<std::string> sans;
    std::string subject;
    std::string key_type = "ec:p256";
    IssuedOutput output;
    std::string expiring;
    bool revoked = false;
    std::string name_glob;
    std::string serial;
    std::string reason = "unspecified";
    bool pem = false;
    bool json = false;
    bool exact_validity = false;
    std::string crl_validity = "7d";
};

std::vector<pki::GeneralName> parse_sans(const std::vector<std::string>& sans) {
    std::vector<pki::GeneralName> out;
    for (const auto& s : sans) {
        for (auto& n : pki::parse_general_names(s, "--san")) {
            out.push_back(std::move(n));
        }
    }
    return out;
}

authority::IssueRequest issue_request(const CertOptions& o, const pki::Csr& csr, bool subject_is_override) {
    authority::IssueRequest request{.csr = &csr,
                                    .profile = o.profile,
                                    .extra_names = parse_sans(o.sans),
                                    .requester = cli_actor(),
                                    .exact_validity = o.exact_validity};
    if (!o.validity.empty()) {
        request.validity = core::parse_duration(o.validity, "--validity");
    }
    if (subject_is_override) {
        request.subject_override = o.subject;
    }
    return request;
}

ExitCode run_sign(const CertOptions& o) {
    const pki::Csr csr = pki::Csr::from_pem(core::read_file(o.csr_file), o.csr_file);
    check_issued_output(o.output, false);
    const auto store = open_store(o.authority);
    const core::Secret passphrase = read_ca_passphrase(o.authority.passphrase_file, false);
    authority::Authority ca =
        authority::Authority::open(*store,
                                   authority::choose_authority(*store, o.authority.ca),
                                   passphrase,
                                   {.name = cli_actor(), .at = core::SystemClock().now()});
    const core::SystemClock clock;
    const auto issued = ca.issue(issue_request(o, csr, !o.subject.empty()), clock.now());
    write_issued_output(o.output, issued, nullptr);
    return ExitCode::ok;
}

ExitCode run_issue(const CertOptions& o) {
    if (o.output.out_dir.empty()) {
        throw core::Error(core::ErrorCode::invalid_input,
                          "--out-dir is required (the new private key is written there)");
    }
    check_issued_output(o.output, true);
    const auto store = open_store(o.authority);
    const core::Secret passphrase = read_ca_passphrase(o.authority.passphrase_file, false);
    authority::Authority ca =
        authority::Authority::open(*store,
                                   authority::choose_authority(*store, o.authority.ca),
                                   passphrase,
                                   {.name = cli_actor(), .at = core::SystemClock().now()});
    const pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse(o.key_type, "--key-type"));
    const pki::Csr csr = pki::Csr::create({.subject = o.subject}, key);
    const core::SystemClock clock;
    const auto issued = ca.issue(issue_request(o, csr, false), clock.now());
    const std::string key_pem = key.to_pkcs8_pem();
    write_issued_output(o.output, issued, &key_pem);
    return ExitCode::ok;
}

bool matches_glob(const store::CertificateRecord& r, const std::string& glob) {
    if (glob.empty()) {
        return true;
    }
    const auto match = [&glob](const std::string& text) {
        return fnmatch(glob.c_str(), text.c_str(), FNM_CASEFOLD) == 0;
    };
    const pki::X509NamePtr subject = pki::parse_name(r.subject, "subject");
    if (match(pki::common_name(subject.get())) || match(r.subject)) {
        return true;
    }
    return std::any_of(
        r.subject_alt_names.begin(), r.subject_alt_names.end(), [&match](const std::string& san) {
            const auto colon = san.find(':');
            return match(san) || (colon != std::string::npos && match(san.substr(colon + 1)));
        });
}

nlohmann::json to_json(const store::CertificateRecord& r) {
    nlohmann::json j{
        {"serial", r.serial_hex},
        {"authority", r.authority},
        {"subject", r.subject},
        {"subject_alt_names", r.subject_alt_names},
        {"not_before", pki::format_time(r.not_before)},
        {"not_after", pki::format_time(r.not_after)},
        {"profile", r.profile},
        {"requester", r.requester},
        {"status", store::to_string(r.status)},
        {"issuer_id", r.issuer_id},
        {"renews", r.renews_serial.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.renews_serial)}};
    if (r.revoked_at) {
        j["revoked_at"] = pki::format_time(*r.revoked_at);
        j["revocation_reason"] = r.revocation_reason;
    }
    return j;
}

ExitCode run_list(const CertOptions& o) {
    const auto store = open_store(o.authority);
    const core::SystemClock clock;
    const core::TimePoint now = clock.now();
    store::CertificateFilter filter{.authority = o.authority.ca, .revoked_only = o.revoked};
    if (!o.expiring.empty()) {
        filter.not_after_before = now + core::parse_duration(o.expiring, "--expiring");
    }
    nlohmann::json rows = nlohmann::json::array();
    std::size_t listed = 0;
    for (const auto& r : store->list_certificates(filter)) {
        if (!matches_glob(r, o.name_glob)) {
            continue;
        }
        ++listed;
        if (o.json) {
            rows.push_back(to_json(r));
            continue;
        }
        std::cout << fmt::format(
            "{}  {:<8}  {}  {:<10}  {}{}\n",
            r.serial_hex,
            store::to_string(r.status),
            pki::format_time(r.not_after),
            remaining_text(r.not_before, r.not_after, now),
            r.subject,
            r.revocation_reason.empty() ? "" : fmt::format(" ({})", r.revocation_reason));
    }
    if (o.json) {
        std::cout << json_text(rows) << '\n';
    }
    for (const auto& name : store->authority_names()) {
        if (o.authority.ca.empty() || o.authority.ca == name) {
            warn_about_crl(*store, name, now);
        }
    }
    // --expiring is a check, as `scan --expiring` is: certificates expiring are findings.
    return !o.expiring.empty() && listed > 0 ? ExitCode::findings : ExitCode::ok;
}

ExitCode run_show(const CertOptions& o) {
    const std::string serial = authority::normalize_serial_hex(o.serial);
    const auto store = open_store(o.authority);
    const auto record = store->find_certificate(serial);
    if (!record) {
        throw core::Error(core::ErrorCode::not_found, fmt::format("no certificate with serial {}", serial));
    }
    if (o.pem) {
        std::cout << pki::write_pem("CERTIFICATE", record->der);
    } else {
        std::cout << json_text(to_json(*record)) << '\n';
    }
    return ExitCode::ok;
}

ExitCode run_revoke(const CertOptions& o) {
    const auto reason = authority::parse_revocation_reason(o.reason);
    const std::string serial = authority::normalize_serial_hex(o.serial);
    const auto store = open_store(o.authority);
    const std::string name = authority::choose_authority(*store, o.authority.ca);
    const core::SystemClock clock;
    const store::Actor actor{.name = cli_actor(), .at = clock.now()};
    // With the CA passphrase at hand the CRL that lists it is signed at once; without, it is recorded and
    // the next `crl generate` publishes it.
    const bool can_sign =
        !o.authority.passphrase_file.empty() || std::getenv("CERTFLEET_CA_PASSPHRASE") != nullptr;
    const store::CertificateRecord revoked =
        can_sign ? authority::Authority::open(
                       *store, name, read_ca_passphrase(o.authority.passphrase_file, false), actor)
                       .revoke(serial, reason, actor, core::parse_duration(o.crl_validity, "--crl-validity"))
                 : authority::Ledger(*store).revoke(name, serial, reason, actor);
    std::cout << fmt::format("revoked {} ({}): {}\n", serial, authority::to_string(reason), revoked.subject);
    std::cout << (can_sign ? "the CRL was regenerated\n" : "publish it: certfleet crl generate\n");
    return ExitCode::ok;
}

}  // namespace

void add_cert_command(CLI::App& app, CommandAction& action) {
    CLI::App* cert = app.add_subcommand("cert", "Issue, list, show and revoke certificates of an authority.");
    cert->require_subcommand(1);
    auto o = std::make_shared<CertOptions>();
    const auto bind = [&action, o](CLI::App* command, ExitCode (*run)(const CertOptions&)) {
        command->callback([&action, o, run] { action = [o, run] { return run(*o); }; });
    };
    const auto add_issue_options = [o](CLI::App* c) {
        c->add_option("--profile", o->profile, "server, client, peer or a configured profile")
            ->capture_default_str();
        c->add_option("--validity", o->validity, "Lifetime, e.g. 365d (default: the profile's)");
        c->add_option("--san", o->sans, "Extra subjectAltNames: DNS:a.example,IP:10.0.0.1 (repeatable)");
        c->add_option(
            "--out-dir", o->output.out_dir, "Write cert.pem, chain.pem, fullchain.pem, root.pem here");
        c->add_flag("--force", o->output.force, "Replace existing output files");
        c->add_flag(
            "--exact-validity",
            o->exact_validity,
            "Refuse a --validity that ends after the issuing CA (default: end with the CA, and say so)");
    };

    CLI::App* sign = cert->add_subcommand(
        "sign",
        "Sign a CSR after checking its signature and the authority's policy.\n\n"
        "Example:\n  certfleet cert sign --csr node1.csr --profile server --validity 365d --out-dir "
        "node1/\n\n"
        "Exit status: 0 issued; 2 invalid CSR or input; 3 refused by policy or wrong CA passphrase;\n"
        "4 no such authority or an output file exists; 5 store unavailable.");
    add_authority_options(*sign, o->authority, true);
    sign->add_option("--csr", o->csr_file, "The CSR (PEM)")->required();
    sign->add_option("--subject", o->subject, "Replace the CSR's subject (if the policy allows)");
    sign->add_option("--out",
                     o->output.out,
                     "Write the certificate here (default with no --out-dir: fullchain to stdout)");
    add_issue_options(sign);
    bind(sign, run_sign);

    CLI::App* issue = cert->add_subcommand(
        "issue",
        "Generate a key and CSR and sign them in one step (key.pem is 0600).\n\n"
        "Example:\n  certfleet cert issue --subject CN=node1.example.com --san DNS:node1 --out-dir node1/\n\n"
        "Exit status: 0 issued; 2 invalid input; 3 refused by policy or wrong CA passphrase;\n"
        "4 no such authority or an output file exists; 5 store unavailable.");
    add_authority_options(*issue, o->authority, true);
    issue->add_option("--subject", o->subject, "\"CN=node1.example.com\"")->required();
    issue->add_option("--key-type", o->key_type, "ec:p256, rsa:2048, ...")->capture_default_str();
    add_issue_options(issue);
    bind(issue, run_issue);

    CLI::App* list = cert->add_subcommand("list",
                                          "List issued certificates, soonest expiry first.\n\n"
                                          "Example:\n  certfleet cert list --expiring 30d --json\n\n"
                                          "Exit status: 0 listed; 1 --expiring and some certificates expire "
                                          "within it;\n"
                                          "2 invalid input; 5 store unavailable.");
    add_authority_options(*list, o->authority, false);
    list->add_option("--expiring", o->expiring, "Only those expiring within this duration, e.g. 30d");
    list->add_flag("--revoked", o->revoked, "Only revoked certificates");
    list->add_option("--name", o->name_glob, "Only names matching this glob (CN or subjectAltName)");
    list->add_flag("--json", o->json, "Print JSON");
    bind(list, run_list);

    CLI::App* show =
        cert->add_subcommand("show",
                             "Show one issued certificate by serial, as JSON (or --pem).\n\n"
                             "Example:\n  certfleet cert show 5f2a9c0e41d7b3a8 --pem > node1.pem\n\n"
                             "Exit status: 0 shown; 2 --pem with --json; 4 no certificate with that serial; "
                             "5 store unavailable.");
    add_authority_options(*show, o->authority, false);
    show->add_option("serial", o->serial, "Serial number (hex)")->required();
    CLI::Option* pem = show->add_flag("--pem", o->pem, "Print the certificate as PEM");
    show->add_flag("--json", o->json, "Print the record as JSON (the default)")->excludes(pem);
    bind(show, run_show);

    CLI::App* revoke = cert->add_subcommand(
        "revoke",
        "Revoke a certificate of the authority (--ca when the store holds several). With the\n"
        "CA passphrase (--passphrase-file or $CERTFLEET_CA_PASSPHRASE) the issuer's CRL is\n"
        "signed again at once; without it, run `crl generate` to publish the revocation.\n\n"
        "Example:\n  certfleet cert revoke 5f2a9c0e41d7b3a8 --reason keyCompromise --passphrase-file "
        "ca.pass\n\n"
        "Exit status: 0 revoked; 2 unknown reason; 3 wrong CA passphrase; 4 no such authority,\n"
        "no such serial in it, or already revoked; 5 store unavailable.");
    add_authority_options(*revoke, o->authority, true);
    revoke->add_option("--crl-validity", o->crl_validity, "nextUpdate of the regenerated CRL")
        ->capture_default_str();
    revoke->add_option("serial", o->serial, "Serial number (hex)")->required();
    revoke->add_option("--reason", o->reason, "keyCompromise, superseded, cessationOfOperation, ...")
        ->capture_default_str();
    bind(revoke, run_revoke);

    add_cert_renew_command(*cert, action);
}

}  // namespace certfleet::cli
