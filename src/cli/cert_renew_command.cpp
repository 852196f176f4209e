#include "cli/cert_renew_command.hpp"

#include "authority/authority.hpp"
#include "authority/ledger.hpp"
#include "authority/renewal.hpp"
#include "authority/serial_number.hpp"
#include "cli/authority_options.hpp"
#include "cli/deployment_report.hpp"
#include "cli/issued_output.hpp"
#include "cli/json_output.hpp"
#include "core/clock.hpp"
#include "core/file.hpp"
#include "core/secret.hpp"
#include "deploy/recovery.hpp"
#include "deploy/renewed_source.hpp"
#include "deploy/source_reader.hpp"
#include "pki/key_spec_of.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

namespace certfleet::cli {
namespace {

struct RenewOptions {
    AuthorityOptions authority;
    std::string serial;
    std::string cert_file;
    bool reuse_key = false;
    std::string key_file;
    std::string key_passphrase_file;
    std::string new_key;
    std::string validity;
    IssuedOutput output;
    std::string deploy_spec;
    std::string state_dir;
    bool revoke_old = false;
    bool json = false;
};

std::string old_serial(const RenewOptions& o) {
    if (o.serial.empty() == o.cert_file.empty()) {
        throw core::Error(core::ErrorCode::invalid_input,
                          "give the serial of the certificate to renew, or --cert FILE (one of them)");
    }
    if (!o.serial.empty()) {
        return authority::normalize_serial_hex(o.serial);
    }
    const std::vector<pki::Certificate> certificates =
        pki::read_certificates(core::read_file(o.cert_file), o.cert_file);
    if (certificates.empty()) {
        throw core::Error(core::ErrorCode::invalid_input,
                          fmt::format("{}: holds no certificate", o.cert_file));
    }
    return authority::normalize_serial_hex(certificates.front().serial_hex());
}

// The key the new certificate is for: the old one (--reuse-key: from --key, else the deploy spec's
// source), or a new one of --new-key's type, else of the old certificate's.
pki::PrivateKey renewal_key(const RenewOptions& o,
                            const pki::Certificate& old,
                            const deploy::DeploymentSpec* spec) {
    if (!o.reuse_key) {
        const std::optional<pki::KeySpec> type = o.new_key.empty()
                                                     ? pki::key_spec_of(old.key_description())
                                                     : pki::KeySpec::parse(o.new_key, "--new-key");
        if (!type) {
            throw core::Error(
                core::ErrorCode::invalid_input,
                fmt::format("the certificate's key is {}, which certfleet does not generate: give "
                            "--new-key TYPE or --reuse-key",
                            pki::to_string(old.key_description())));
        }
        return pki::PrivateKey::generate(*type);
    }
    std::optional<pki::PrivateKey> key;
    std::string source;
    if (!o.key_file.empty()) {
        std::optional<core::Secret> passphrase;
        if (!o.key_passphrase_file.empty()) {
            passphrase = core::read_secret_file(o.key_passphrase_file);
        }
        key = pki::PrivateKey::from_pem(
            core::read_file(o.key_file), o.key_file, passphrase ? &*passphrase : nullptr);
        source = o.key_file;
    } else if (spec != nullptr) {
        key = std::move(deploy::read_source(spec->source).key);
        source = fmt::format("{} (source)", o.deploy_spec);
    }
    if (!key) {
        throw core::Error(
            core::ErrorCode::invalid_input,
            "--reuse-key needs the key: give --key FILE (or --deploy SPEC whose source has it)");
    }
    if (!key->public_key().matches(old.public_key())) {
        throw core::Error(
            core::ErrorCode::invalid_input,
            fmt::format(
                "{}: this key is not the key of certificate {} (--reuse-key)", source, old.serial_hex()));
    }
    return std::move(*key);
}

formats::CertifiedKey certified_key(const authority::IssuedCertificate& issued, const pki::PrivateKey& key) {
    formats::CertifiedKey bundle{.certificate = issued.certificate.clone(), .key = key.clone()};
    bundle.chain = pki::read_certificates(issued.chain_pem, "the issuing chain");
    if (!issued.root_pem.empty() && (bundle.chain.empty() || !bundle.chain.back().is_self_signed())) {
        for (pki::Certificate& root : pki::read_certificates(issued.root_pem, "the root")) {
            bundle.chain.push_back(std::move(root));
        }
    }
    return bundle;
}

/// Returns the ledger record of the certificate to renew. Throws Error(not_found) for an unknown serial
/// or one that `ca` (--ca, when given) did not issue.
store::CertificateRecord renewed_record(store::Store& store,
                                        const std::string& serial,
                                        const std::string& ca) {
    std::optional<store::CertificateRecord> old = authority::Ledger(store).find(serial);
    if (!old) {
        throw core::Error(core::ErrorCode::not_found, fmt::format("no certificate with serial {}", serial));
    }
    if (!ca.empty() && ca != old->authority) {
        throw core::Error(
            core::ErrorCode::not_found,
            fmt::format("certificate {} was issued by {}, not {} (--ca)", serial, old->authority, ca));
    }
    return std::move(*old);
}

ExitCode run_renew(const RenewOptions& o) {
    if (o.output.out_dir.empty() && o.deploy_spec.empty() && !o.reuse_key) {
        throw core::Error(core::ErrorCode::invalid_input,
                          "give --out-dir DIR or --deploy SPEC: the new private key is written there (or "
                          "--reuse-key to keep the key you have)");
    }
    const std::string serial = old_serial(o);
    const auto store = open_store(o.authority);
    const store::CertificateRecord old = renewed_record(*store, serial, o.authority.ca);
    const authority::RenewalBasis basis = authority::renewal_basis(old);
    const pki::Certificate old_certificate = pki::Certificate::from_der(old.der, "certificate " + serial);

    // Everything that can be refused is checked before anything is signed.
    std::optional<deploy::DeploymentSpec> spec;
    if (!o.deploy_spec.empty()) {
        spec = deploy::read_deployment_spec(o.deploy_spec);
        deploy::require_renewable_source(spec->source, o.deploy_spec, !o.reuse_key);
    }
    check_issued_output(o.output, !o.reuse_key);
    const pki::PrivateKey key = renewal_key(o, old_certificate, spec ? &*spec : nullptr);

    const core::SystemClock clock;
    const store::Actor actor{.name = cli_actor(), .at = clock.now()};
    authority::Authority ca = authority::Authority::open(
        *store, old.authority, read_ca_passphrase(o.authority.passphrase_file, false), actor);
    const pki::Csr csr = pki::Csr::create(basis.names, key);
    authority::IssueRequest request = authority::renewal_request(basis, csr, cli_actor());
    if (!o.validity.empty()) {
        request.validity = core::parse_duration(o.validity, "--validity");
    }
    const authority::IssuedCertificate issued = ca.issue(request, clock.now());
    const std::string key_pem = key.to_pkcs8_pem();
    const std::string* new_key_pem = o.reuse_key ? nullptr : &key_pem;
    if (!o.output.out_dir.empty() || !o.output.out.empty() || !spec) {
        write_issued_output(o.output, issued, new_key_pem);
    }
    const std::string new_serial = issued.certificate.serial_hex();
    nlohmann::json renewal{{"serial", new_serial},
                           {"renews", serial},
                           {"subject", issued.certificate.subject()},
                           {"not_after", pki::format_time(issued.certificate.not_after())},
                           {"key", o.reuse_key ? "reused" : "new"},
                           {"old_revoked", false}};

    ExitCode code = ExitCode::ok;
    nlohmann::json report;
    if (spec) {
        if (!o.json) {
            std::cout << fmt::format(
                "renewed {} as {}: {}\n", serial, new_serial, issued.certificate.subject());
        }
        deploy::StateDirectory state(o.state_dir.empty() ? deploy::default_state_directory() : o.state_dir);
        const std::vector<deploy::RecoveryReport> recovered =
            deploy::recover_interrupted(state, "certfleet cert renew");
        const formats::CertifiedKey bundle = certified_key(issued, key);
        code = deploy_by_spec(
            state,
            recovered,
            {.spec = &*spec,
             .bundle = &bundle,
             .also_write = deploy::renewed_source_files(spec->source,
                                                        issued.certificate.pem(),
                                                        issued.chain_pem,
                                                        o.reuse_key ? std::string() : key_pem),
             .origin = fmt::format(
                 "cert renew {} --deploy {}", serial, std::filesystem::absolute(o.deploy_spec).string()),
             .json = o.json,
             .json_out = &report});
    }
    // The old certificate is revoked only once the new one is in place: a failed deployment leaves the
    // old one serving, and valid.
    if (o.revoke_old && code == ExitCode::ok) {
        ca.revoke(serial, authority::RevocationReason::superseded, actor, core::Seconds{7 * 86400});
        renewal["old_revoked"] = true;
        if (!o.json) {
            std::cerr << fmt::format("revoked {} (superseded); the CRL was regenerated\n", serial);
        }
    }
    if (o.json) {
        if (spec) {
            report["renewal"] = renewal;
        } else {
            report = renewal;
        }
        std::cout << json_text(report) << '\n';
    }
    return code;
}

}  // namespace

void add_cert_renew_command(CLI::App& cert, CommandAction& action) {
    auto o = std::make_shared<RenewOptions>();
    CLI::App* renew = cert.add_subcommand(
        "renew",
        "Issue a new certificate with the same subject, subjectAltNames and profile from the same\n"
        "authority, recorded as renewing the old one (cert show prints \"renews\"). The old certificate\n"
        "stays valid until it expires unless --revoke-old (revoked as superseded once the new one is\n"
        "written and deployed). The new key is of the old key's type unless --new-key; --reuse-key\n"
        "keeps the old key (from --key, or the --deploy spec's source). With --deploy the new\n"
        "certificate and key are written into the spec's source files and deployed to its targets in\n"
        "one deployment (all or nothing, with its hooks and health checks, as `certfleet deploy`).\n\n"
        "Examples:\n"
        "  certfleet cert renew 5f2a9c0e41d7b3a8 --out-dir node1/\n"
        "  certfleet cert renew --cert /etc/haproxy/certs/node1.pem --deploy /etc/certfleet/haproxy.yaml\n"
        "  certfleet cert renew 5f2a9c0e41d7b3a8 --reuse-key --key node1/key.pem --out-dir node1-new/\n\n"
        "Exit status: 0 renewed (and deployed); 1 the deployment was rolled back (the new certificate\n"
        "is issued and recorded; the old one was not revoked); 2 invalid input or spec (nothing issued);\n"
        "3 refused by policy or wrong CA passphrase; 4 no such certificate, it is revoked, or an\n"
        "output file exists; 5 store unavailable.");
    add_authority_options(*renew, o->authority, true);
    renew->add_option("serial", o->serial, "Serial number (hex) of the certificate to renew");
    renew->add_option("--cert", o->cert_file, "Or: the certificate to renew, as a file (PEM or DER)");
    CLI::Option* reuse =
        renew->add_flag("--reuse-key", o->reuse_key, "Keep the certificate's key (not recommended yearly)");
    renew->add_option("--key", o->key_file, "With --reuse-key: the key (PEM)");
    renew->add_option("--key-passphrase-file", o->key_passphrase_file, "Passphrase of an encrypted --key");
    CLI::Option* new_key = renew->add_option(
        "--new-key", o->new_key, "Type of the new key: ec:p256, rsa:2048... (default: as the old)");
    renew->add_option("--validity", o->validity, "Lifetime, e.g. 365d (default: the profile's)");
    renew->add_option(
        "--out-dir", o->output.out_dir, "Write key.pem, cert.pem, chain.pem, fullchain.pem, root.pem");
    renew->add_option("--out", o->output.out, "Write the certificate here");
    renew->add_flag("--force", o->output.force, "Replace existing output files");
    renew->add_option("--deploy", o->deploy_spec, "Deploy by this spec (YAML, docs/deploy.md) at once");
    renew->add_option(
        "--state-dir",
        o->state_dir,
        "With --deploy: journals, locks, backups (default: $CERTFLEET_STATE_DIR, /var/lib/certfleet)");
    renew->add_flag("--revoke-old", o->revoke_old, "Revoke the old certificate (superseded) once replaced");
    renew->add_flag("--json", o->json, "Print the report as JSON");
    new_key->excludes(reuse);
    renew->callback([&action, o] { action = [o] { return run_renew(*o); }; });
}

}  // namespace certfleet::cli
