#include "cli/command.hpp"
#include "cli/json_output.hpp"
#include "core/duration.hpp"
#include "core/file.hpp"
#include "pki/chain_verifier.hpp"
#include "pki/distinguished_name.hpp"
#include "pki/expectations.hpp"
#include "pki/object_reader.hpp"
#include "pki/presented_chain.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

using core::Error;
using core::ErrorCode;

struct VerifyCommandOptions {
    std::vector<std::string> paths;
    std::vector<std::string> chain_files;
    std::vector<std::string> trust_paths;
    std::vector<std::string> crl_files;
    bool crl_check_all = false;
    bool partial_chain = false;
    bool strict = false;
    bool policy_check = false;
    std::string at;
    std::string key_file;
    std::string passphrase_file;
    std::string csr_file;
    std::string host;
    std::string ip;
    std::string purpose = "any";
    std::string issuer;
    std::string min_remaining;
    std::string profile = "default";
    bool json = false;
};

// Everything the command line names besides the certificates to verify. A file that cannot be read
// is invalid input (exit 2) here, even when it is missing, as the command's help promises.
template <class Fn>
auto load(Fn&& fn) {
    try {
        return fn();
    } catch (const Error& e) {
        if (e.code() == ErrorCode::not_found) {
            throw Error(ErrorCode::invalid_input, e.what());
        }
        throw;
    }
}

std::vector<pki::SourcedObject> objects_in(const std::string& path,
                                           const core::Secret* passphrase = nullptr) {
    return pki::read_objects(core::read_file(path), path, {.passphrase = passphrase});
}

std::vector<pki::Certificate> certificates_in(const std::string& path) {
    std::vector<pki::Certificate> out;
    for (pki::SourcedObject& item : objects_in(path)) {
        if (auto* certificate = std::get_if<pki::Certificate>(&item.object)) {
            out.push_back(std::move(*certificate));
        }
    }
    return out;
}

pki::PublicKey key_in(const std::string& path, const std::string& passphrase_file) {
    std::optional<core::Secret> passphrase;
    if (!passphrase_file.empty()) {
        passphrase = core::read_secret_file(passphrase_file);
    }
    for (const pki::SourcedObject& item : objects_in(path, passphrase ? &*passphrase : nullptr)) {
        if (const auto* key = std::get_if<pki::PrivateKey>(&item.object)) {
            return key->public_key();
        }
        if (const auto* key = std::get_if<pki::PublicKey>(&item.object)) {
            return *key;
        }
    }
    throw Error(ErrorCode::invalid_input, fmt::format("{}: no key found", path));
}

pki::Csr csr_in(const std::string& path) {
    for (pki::SourcedObject& item : objects_in(path)) {
        if (auto* csr = std::get_if<pki::Csr>(&item.object)) {
            return std::move(*csr);
        }
    }
    throw Error(ErrorCode::invalid_input, fmt::format("{}: no CSR found", path));
}

std::string short_name(const pki::Certificate& certificate) {
    const std::string common_name = certificate.subject_common_name();
    return common_name.empty() ? certificate.subject() : "CN=" + common_name;
}

std::string chain_text(const std::vector<pki::Certificate>& chain) {
    std::string out;
    for (const pki::Certificate& certificate : chain) {
        out += (out.empty() ? "" : " <- ") + short_name(certificate);
    }
    return out;
}

nlohmann::json to_json(const pki::Finding& finding) {
    nlohmann::json out{{"code", pki::to_string(finding.code)}, {"message", finding.message}};
    out["certificate_index"] =
        finding.certificate_index ? nlohmann::json(*finding.certificate_index) : nullptr;
    return out;
}

nlohmann::json to_json(const std::vector<pki::Certificate>& chain) {
    nlohmann::json out = nlohmann::json::array();
    for (const pki::Certificate& certificate : chain) {
        out.push_back({{"subject", certificate.subject()},
                       {"issuer", certificate.issuer()},
                       {"serial", certificate.serial_hex()},
                       {"not_after", pki::format_time(certificate.not_after())}});
    }
    return out;
}

// What the command needs for every file, loaded once.
struct VerifyContext {
    pki::TrustStore trust;
    std::vector<pki::Certificate> extra_untrusted;
    std::vector<pki::Crl> crls;
    std::optional<pki::Csr> csr;
    pki::VerifyOptions verify;
    pki::Expectations expected;
    core::TimePoint at;
};

// Returns the verdict for one file, findings of the expectations included. Throws Error if the file
// cannot be read or holds no certificate.
pki::ChainVerdict verify_file(const std::string& path, const VerifyContext& context) {
    const std::vector<pki::Certificate> certificates = certificates_in(path);
    if (certificates.empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: no certificate found", path));
    }
    pki::VerifyOptions verify = context.verify;
    verify.crls = &context.crls;
    return pki::verify_presented_chain(
        certificates, context.extra_untrusted, context.trust, verify, context.expected, context.at);
}

VerifyContext load_context(const VerifyCommandOptions& options) {
    const core::TimePoint at =
        options.at.empty() ? core::SystemClock().now() : pki::parse_time(options.at, "--at");
    VerifyContext context{
        .trust = load([&] {
            return options.trust_paths.empty() ? pki::TrustStore::system_default()
                                               : pki::TrustStore::from_paths(options.trust_paths);
        }),
        .at = at,
    };
    for (const std::string& path : options.chain_files) {
        for (pki::Certificate& certificate : load([&] { return certificates_in(path); })) {
            context.extra_untrusted.push_back(std::move(certificate));
        }
    }
    for (const std::string& path : options.crl_files) {
        for (pki::SourcedObject& item : load([&] { return objects_in(path); })) {
            if (auto* crl = std::get_if<pki::Crl>(&item.object)) {
                context.crls.push_back(std::move(*crl));
            }
        }
    }
    if (!options.csr_file.empty()) {
        context.csr = load([&] { return csr_in(options.csr_file); });
    }
    context.verify = {
        .at = at,
        .host = options.host,
        .ip = options.ip,
        .purpose = pki::parse_purpose(options.purpose, "--purpose"),
        .anchors = options.partial_chain ? pki::AnchorRule::any_trusted : pki::AnchorRule::self_signed_roots,
        .strictness = options.strict ? pki::Strictness::strict : pki::Strictness::standard,
        .revocation = options.crl_files.empty() ? pki::RevocationCheck::none
                                                : (options.crl_check_all ? pki::RevocationCheck::chain
                                                                         : pki::RevocationCheck::leaf),
        .policies = options.policy_check ? pki::PolicyCheck::on : pki::PolicyCheck::off,
        .profile = pki::parse_server_profile(options.profile, "--profile"),
    };
    context.expected.issuer = options.issuer;
    if (!options.issuer.empty()) {
        pki::parse_name(options.issuer, "--issuer");  // reject a bad name before reading any certificate
    }
    if (!options.min_remaining.empty()) {
        context.expected.min_remaining = core::parse_duration(options.min_remaining, "--min-remaining");
    }
    if (!options.key_file.empty()) {
        context.expected.key = load([&] { return key_in(options.key_file, options.passphrase_file); });
    }
    context.expected.csr = context.csr ? &*context.csr : nullptr;
    return context;
}

ExitCode run_verify(const VerifyCommandOptions& options) {
    const VerifyContext context = load_context(options);
    bool unreadable = false;
    bool findings = false;
    nlohmann::json all = nlohmann::json::array();
    for (const std::string& path : options.paths) {
        nlohmann::json entry{{"file", path}};
        try {
            const pki::ChainVerdict verdict = verify_file(path, context);
            findings = findings || !verdict.is_clean();
            entry["status"] = verdict.is_clean() ? "ok" : "findings";
            entry["chain"] = to_json(verdict.chain);
            entry["findings"] = nlohmann::json::array();
            for (const pki::Finding& finding : verdict.findings) {
                entry["findings"].push_back(to_json(finding));
                if (!options.json) {
                    std::cout << fmt::format(
                        "{}: {}: {}\n", path, pki::to_string(finding.code), finding.message);
                }
            }
            if (!options.json) {
                const std::size_t count = verdict.findings.size();
                std::cout << (verdict.is_clean()
                                  ? fmt::format("{}: OK (chain: {})\n", path, chain_text(verdict.chain))
                                  : fmt::format("{}: FAILED, {} finding{} (chain: {})\n",
                                                path,
                                                count,
                                                count == 1 ? "" : "s",
                                                chain_text(verdict.chain)));
            }
        } catch (const Error& e) {
            unreadable = true;
            std::cerr << "certfleet: " << e.what() << '\n';
            entry["status"] = "unreadable";
            entry["error"] = e.what();
        }
        all.push_back(std::move(entry));
    }
    if (options.json) {
        std::cout << json_text(all) << '\n';
    }
    if (unreadable) {
        return ExitCode::invalid_input;
    }
    return findings ? ExitCode::findings : ExitCode::ok;
}

// A list option given once per value ("--chain a.pem --chain b.pem"). CLI11 would otherwise let it
// swallow the certificate files that follow it.
void repeatable(CLI::Option* option) {
    option->allow_extra_args(false)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

}  // namespace

void add_verify_command(CLI::App& app, CommandAction& action) {
    auto options = std::make_shared<VerifyCommandOptions>();
    CLI::App* cmd = app.add_subcommand(
        "verify",
        "Build and validate certificate chains, and check what the certificates are expected to be.\n\n"
        "Each CERT file's first certificate is verified; the certificates after it, and --chain, are\n"
        "candidate intermediates. OpenSSL builds and validates the chain (X509_STORE) against --trust\n"
        "(files or directories of CA certificates; the system store by default) at --at (default now),\n"
        "with security level 2 (RSA 2048+, no SHA-1). Every problem is reported, one line each:\n"
        "  FILE: CODE: cert N (CN=...): message\n"
        "then one summary line per file: \"FILE: OK (chain: CN=leaf <- CN=Sub CA <- CN=Root)\".\n"
        "Codes: expired not_yet_valid host_mismatch ip_mismatch purpose_mismatch issuer_mismatch\n"
        "key_mismatch csr_mismatch chain_incomplete untrusted_root signature_invalid revoked\n"
        "revocation_unknown expires_soon path_length_exceeded chain_too_long invalid_ca\n"
        "name_constraint_violation policy_violation unhandled_critical_extension malformed_certificate\n"
        "weak_key weak_signature verification_failed.\n\n"
        "--profile default (the default) adds RFC 5280 and CA/Browser Forum rules OpenSSL does not check,\n"
        "each a code of its own: serial_not_positive serial_too_long name_constraints_in_leaf\n"
        "name_constraints_empty name_constraint_invalid wildcard_reaches_excluded malformed_dns_name\n"
        "san_critical_with_subject common_name_ip_not_canonical common_name_case_mismatch\n"
        "common_name_not_ascii wildcard_public_suffix eku_empty eku_critical eku_on_anchor\n"
        "anchor_aki_without_key_id anchor_aki_mismatch dsa_key rsa_size_not_byte_multiple leaf_not_v3\n"
        "leaf_ca_without_cert_sign malformed_aia crl_number_missing bad_self_signature. --profile strict\n"
        "adds rules some certificates in use break: name_constraint_leading_dot san_missing\n"
        "eku_any_in_leaf policy_constraints_not_critical anchor_aki_issuer_serial, and "
        "wildcard_public_suffix\n"
        "for private suffixes (*.s3.amazonaws.com). --profile openssl checks only what OpenSSL checks.\n\n"
        "Examples:\n"
        "  certfleet verify --trust ca.pem --host node1.example.com --purpose server node1/fullchain.pem\n"
        "  certfleet verify --trust ca.pem --chain chain.pem --key node1.key --min-remaining 30d node1.pem\n"
        "  certfleet verify --trust ca.pem --json certs/*.pem\n\n"
        "Exit status: 0 every certificate is clean; 1 findings; 2 an input could not be read.");
    cmd->add_option("certs", options->paths, "Certificate files (PEM or DER) to verify")->required();
    repeatable(cmd->add_option(
        "--chain", options->chain_files, "Untrusted intermediates for every CERT (repeatable)"));
    repeatable(cmd->add_option(
        "--trust", options->trust_paths, "Trusted CA certificates: a file or a directory (repeatable)"));
    repeatable(
        cmd->add_option("--crl", options->crl_files, "CRLs: check the leaf for revocation (repeatable)"));
    cmd->add_flag(
        "--crl-check-all", options->crl_check_all, "With --crl, check every certificate of the chain");
    cmd->add_flag("--partial-chain",
                  options->partial_chain,
                  "Accept a chain ending in any trusted certificate, not only a self-signed root");
    cmd->add_flag("--strict", options->strict, "Also apply OpenSSL's strict RFC 5280 profile checks");
    cmd->add_flag("--policy-check", options->policy_check, "Evaluate certificate policies (RFC 5280 6.1)");
    cmd->add_option("--at", options->at, "Verify at this UTC time (2026-01-31 or 2026-01-31T12:00:00Z)");
    cmd->add_option("--key", options->key_file, "Private (or public) key the leaf must hold");
    cmd->add_option("--passphrase-file", options->passphrase_file, "Passphrase of an encrypted --key");
    cmd->add_option("--csr", options->csr_file, "CSR the leaf must have been issued for (key and subject)");
    cmd->add_option("--host", options->host, "DNS name the leaf must be valid for (RFC 6125 matching)");
    cmd->add_option("--ip", options->ip, "IP address the leaf must be valid for");
    cmd->add_option("--purpose", options->purpose, "server, client, peer (both) or any (default)");
    cmd->add_option("--issuer", options->issuer, "Distinguished name the leaf's issuer must be");
    cmd->add_option(
        "--min-remaining", options->min_remaining, "Validity every certificate must still have (30d)");
    cmd->add_option("--profile", options->profile, "Server profile rules: default, strict or openssl (none)");
    cmd->add_flag("--json", options->json, "Print a JSON array, one object per CERT (fields in README.md)");
    cmd->callback([options, &action] { action = [options] { return run_verify(*options); }; });
}

}  // namespace certfleet::cli
