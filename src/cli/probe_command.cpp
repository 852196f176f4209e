#include "cli/authority_options.hpp"
#include "cli/command.hpp"
#include "cli/inventory_output.hpp"
#include "cli/json_output.hpp"
#include "core/duration.hpp"
#include "core/file.hpp"
#include "inventory/drift.hpp"
#include "inventory/endpoint_scanner.hpp"
#include "pki/trust_store.hpp"

#include <fmt/format.h>

#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

struct ProbeOptions {
    std::vector<std::string> endpoints;
    std::string sni;
    std::string starttls;
    std::string trust_file;
    std::string timeout = "10s";
    std::string at;
    std::string store;
    bool json = false;
};

ExitCode run_probe(const ProbeOptions& options) {
    const core::TimePoint now =
        options.at.empty() ? core::SystemClock().now() : pki::parse_time(options.at, "--at");
    std::optional<pki::TrustStore> trust;
    if (!options.trust_file.empty()) {
        trust = pki::TrustStore::from_path(options.trust_file);
    }
    const std::unique_ptr<store::Store> store = open_configured_store(options.store);
    const inventory::EndpointProbeOptions probe_options{
        .sni = options.sni,
        .starttls = inventory::parse_starttls(options.starttls, "--starttls"),
        .timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
            core::parse_duration(options.timeout, "--timeout")),
        .trust = trust ? &*trust : nullptr,
        .at = now};

    bool unavailable = false;
    bool findings = false;
    nlohmann::json all = nlohmann::json::array();
    for (const std::string& endpoint : options.endpoints) {
        try {
            inventory::EndpointReport report = inventory::probe_endpoint(endpoint, probe_options);
            if (store) {
                inventory::add_drift(report.chain, *store);
            }
            findings = findings || !report.verified || !report.host_matches || !report.findings.empty();
            if (options.json) {
                all.push_back(to_json(report, now));
            } else {
                std::cout << to_text(report, now);
            }
        } catch (const core::Error& e) {
            if (e.code() != core::ErrorCode::unavailable) {
                throw;
            }
            std::cerr << "certfleet: " << e.what() << '\n';
            unavailable = true;
            if (options.json) {
                all.push_back({{"endpoint", endpoint}, {"error", e.what()}});
            }
        }
    }
    if (options.json) {
        std::cout << json_text(all) << '\n';
    }
    if (unavailable) {
        return ExitCode::unavailable;
    }
    return findings ? ExitCode::findings : ExitCode::ok;
}

}  // namespace

void add_probe_command(CLI::App& app, CommandAction& action) {
    auto options = std::make_shared<ProbeOptions>();
    CLI::App* cmd = app.add_subcommand(
        "probe",
        "Connect to TLS endpoints and report the chain they serve.\n\n"
        "For each HOST:PORT: the served chain (subject, issuer, expiry, key, SHA-256), whether it verifies\n"
        "for a TLS server against --trust (default: the system trust store), whether the leaf matches the\n"
        "host name (--sni, default the host), the protocol, and days left. Every problem is a finding with\n"
        "a stable code (untrusted_root, chain_incomplete, expired, host_mismatch ...), as `certfleet "
        "verify`.\n"
        "--store (or $CERTFLEET_STORE) also says, per served certificate, whether we issued it, whether a\n"
        "newer one exists for its names (STALE), and whether the store records it revoked.\n"
        "A chain served out of order (each certificate must be followed by its issuer) is the finding\n"
        "chain_out_of_order, even when it verifies.\n\n"
        "Examples:\n"
        "  certfleet probe node1.example.com:443\n"
        "  certfleet probe --trust ca.pem --sni node1.example.com 10.0.0.1:8443\n"
        "  certfleet probe --starttls smtp mail.example.com:25\n\n"
        "Exit status: 0 verified and matching; 1 findings (a chain does not verify or is out of order, a\n"
        "name does not match); 2 invalid input; 5 an endpoint could not be reached or refused the\n"
        "handshake.");
    cmd->add_option("endpoints", options->endpoints, "HOST:PORT or [IPv6]:PORT")->required();
    cmd->add_option("--sni", options->sni, "Server name to send and check (default: the host)");
    cmd->add_option("--starttls", options->starttls, "Speak smtp, imap or ftp before TLS");
    cmd->add_option(
        "--trust", options->trust_file, "PEM file or directory of trust anchors (default: system)");
    cmd->add_option(
        "--store",
        options->store,
        "Compare with the certificates issued in this store (default $CERTFLEET_STORE, else none)");
    cmd->add_option("--timeout", options->timeout, "Connect and read timeout (default 10s)");
    cmd->add_option("--at", options->at, "Verify and count days at this UTC time instead of now");
    cmd->add_flag("--json", options->json, "Print a JSON array, one object per endpoint");
    cmd->callback([options, &action] { action = [options] { return run_probe(*options); }; });
}

}  // namespace certfleet::cli
