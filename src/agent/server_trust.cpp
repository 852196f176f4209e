#include "agent/server_trust.hpp"

#include "agent/agent_state_file.hpp"
#include "api/api_client.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "deploy/state_directory.hpp"
#include "pki/chain_verifier.hpp"
#include "pki/fingerprint.hpp"
#include "pki/object_reader.hpp"
#include "pki/sha256_pin.hpp"
#include "pki/tls_client.hpp"
#include "pki/trust_store.hpp"

#include <fmt/format.h>

#include <optional>

namespace certfleet::agent {
namespace {

using core::Error;
using core::ErrorCode;

// "https://ca.example.com:8443/..." -> "ca.example.com:8443" (443 when the URL has no port).
std::string endpoint_of(const std::string& url) {
    std::string_view rest = url;
    const auto scheme = rest.find("://");
    if (scheme == std::string_view::npos) {
        throw Error(ErrorCode::invalid_input, fmt::format("server: \"{}\": expected https://HOST:PORT", url));
    }
    rest.remove_prefix(scheme + 3);
    rest = rest.substr(0, rest.find('/'));
    const bool bracketed = rest.starts_with('[');
    const auto colon = rest.rfind(':');
    const bool has_port = colon != std::string_view::npos && (!bracketed || colon > rest.find(']'));
    return has_port ? std::string(rest) : fmt::format("{}:443", rest);
}

// The certificate above `top`, from GET /v1/ca fetched without verification: kept only if its key
// verifies top's signature.
std::optional<pki::Certificate> issuer_from_server(const AgentConfig& config, const pki::Certificate& top) {
    try {
        api::ApiClient probe(
            {.server_url = config.server, .timeout = std::chrono::seconds(10), .insecure_skip_verify = true});
        const api::CaBundle bundle = probe.ca();
        std::vector<pki::Certificate> candidates;
        for (const std::string& pem : bundle.chain_pem) {
            for (pki::Certificate& c : pki::read_certificates(pem, "GET /v1/ca chain_pem")) {
                candidates.push_back(std::move(c));
            }
        }
        candidates.push_back(pki::Certificate::from_pem(bundle.root_pem, "GET /v1/ca root_pem"));
        for (pki::Certificate& candidate : candidates) {
            if (top.is_issued_by(candidate)) {
                return std::move(candidate);
            }
        }
    } catch (const Error&) {
        // An older server or a proxy: the top of the handshake is all there is to report.
    }
    return std::nullopt;
}

struct PresentedChain {
    std::vector<pki::Certificate> chain;  ///< as presented, leaf first, completed up to a root if found
};

PresentedChain read_presented_chain(const AgentConfig& config) {
    pki::ServedChain served =
        pki::read_served_chain(endpoint_of(config.server), {.timeout = std::chrono::seconds(10)});
    PresentedChain presented{.chain = std::move(served.chain)};
    // A server sends its leaf and intermediates; the root is what the node must pin. Follow issuers
    // a few steps (a CA with two intermediates), no further.
    for (int step = 0; step < 4 && !presented.chain.back().is_self_signed(); ++step) {
        std::optional<pki::Certificate> issuer = issuer_from_server(config, presented.chain.back());
        if (!issuer) {
            break;
        }
        presented.chain.push_back(std::move(*issuer));
    }
    return presented;
}

}  // namespace

pki::TrustStore trust_anchors(const AgentConfig& config) {
    if (config.ca_file.empty()) {
        return pki::TrustStore::system_default();
    }
    try {
        return pki::TrustStore::from_path(config.ca_file);
    } catch (const Error& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("ca_file: {}", e.what()));
    }
}

std::string state_directory_of(const AgentConfig& config) {
    return config.state_dir.empty() ? deploy::default_state_directory() : config.state_dir;
}

ServerTrustCheck check_server_trust(const AgentConfig& config) {
    ServerTrustCheck check;
    PresentedChain presented;
    try {
        presented = read_presented_chain(config);
    } catch (const Error& e) {
        if (e.code() != ErrorCode::unavailable) {
            throw;
        }
        check.detail = e.what();
        return check;
    }
    const pki::Certificate& root = presented.chain.back();
    check.root_sha256 = root.fingerprint(pki::DigestAlgorithm::sha256);
    check.root_subject = root.subject();
    check.root_pem = root.pem();
    const pki::TrustStore anchors = trust_anchors(config);
    std::vector<pki::Certificate> untrusted;
    for (std::size_t i = 1; i < presented.chain.size(); ++i) {
        untrusted.push_back(presented.chain[i].clone());
    }
    // Dates and names are libcurl's to check on each request; this asks only whether the chain ends
    // in one of our anchors. A trusted intermediate may end it, as libcurl's partial chains allow.
    const pki::ChainVerdict verdict = pki::verify_chain(
        presented.chain.front(), untrusted, anchors, {.anchors = pki::AnchorRule::any_trusted});
    if (verdict.is_clean()) {
        check.verdict = TrustVerdict::trusted;
        return check;
    }
    check.verdict = TrustVerdict::untrusted;
    check.detail = verdict.findings.front().message;
    return check;
}

TrustChange trust_presented_root(const AgentConfig& config,
                                 std::string_view expected_sha256,
                                 std::string_view field,
                                 core::TimePoint now) {
    const std::string expected = pki::parse_sha256_fingerprint(expected_sha256, field);
    if (config.ca_file.empty()) {
        throw Error(ErrorCode::invalid_input,
                    "ca_file: not set, so there is no trust anchor file to write (add ca_file: to the "
                    "configuration)");
    }
    const PresentedChain presented = read_presented_chain(config);
    const pki::Certificate& root = presented.chain.back();
    const std::string actual = root.fingerprint(pki::DigestAlgorithm::sha256);
    if (pki::parse_sha256_fingerprint(actual, "presented root") != expected) {
        throw Error(ErrorCode::forbidden,
                    fmt::format("{}: the server presents root \"{}\" with SHA-256 {}, not the {} given ({}); "
                                "not trusted, nothing written",
                                config.server,
                                root.subject(),
                                actual,
                                field,
                                expected_sha256));
    }
    core::write_file_atomically(
        config.ca_file, root.pem(), {.mode = 0644, .overwrite = core::Overwrite::replace});
    TrustChange change{.root_sha256 = actual, .root_subject = root.subject()};
    const std::string state_dir = state_directory_of(config);
    for (const TrackedCertificate& tracked : config.certificates) {
        std::optional<CertificateRecord> record = read_record(state_dir, tracked.name);
        if (!record || record->state != TrackingState::needs_operator) {
            continue;
        }
        record->state = next(record->state, TrackingEvent::operator_trusted);
        record->reenroll = true;
        record->detail =
            fmt::format("the operator trusted root {} ({}): enroll again with the bootstrap token",
                        actual,
                        root.subject());
        record->updated_at = now;
        write_record(state_dir, *record);
        change.reenrolling.push_back(tracked.name);
    }
    return change;
}

}  // namespace certfleet::agent
