#pragma once

#include "agent/agent_config.hpp"
#include "core/clock.hpp"
#include "pki/trust_store.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::agent {

/// Whether the server's TLS certificate chains to the agent's trust anchors (`ca_file`).
enum class TrustVerdict {
    trusted,      ///< it does
    untrusted,    ///< it does not: a regenerated CA (seed 003) or a server that is not ours
    unreachable,  ///< no TLS handshake: nothing can be said
};

/// What the server presented, judged against the agent's anchors.
struct ServerTrustCheck {
    TrustVerdict verdict = TrustVerdict::unreachable;
    std::string root_sha256;   ///< SHA-256 of the presented root, as OpenSSL prints it (AB:CD:...)
    std::string root_subject;  ///< its subject
    std::string root_pem;
    std::string detail;  ///< why it is untrusted, or unreachable
};

/// Connects to the configured server with verification off (only to look), takes the chain it presents
/// and verifies it against `ca_file` (the system store when unset), without checking dates or names:
/// this answers "is it still our CA", nothing else. The presented root is the top certificate of the
/// handshake; when that is not self-signed, the root comes from GET /v1/ca, taken only if it is the
/// issuer of that top certificate by signature (what the server claims is not believed).
/// Throws Error(invalid_input) for a bad server URL or a missing or empty ca_file.
ServerTrustCheck check_server_trust(const AgentConfig& config);

/// What `agent trust` did.
struct TrustChange {
    std::string root_sha256;
    std::string root_subject;
    std::vector<std::string> reenrolling;  ///< the tracked certificates moved from needs_operator
};

/// `agent trust`: reads the server's presented root as check_server_trust does, requires its SHA-256 to
/// equal `expected_sha256` (any case, with or without ':'), writes it atomically as `ca_file`, and
/// moves each needs_operator certificate to needs_key, to be enrolled again with the bootstrap token
/// at the next pass. `field` names the fingerprint's source in messages.
/// Throws Error(forbidden) naming both fingerprints when they differ (nothing written);
/// Error(invalid_input) for a malformed fingerprint or no ca_file in the configuration;
/// Error(unavailable) if the server cannot be reached.
TrustChange trust_presented_root(const AgentConfig& config,
                                 std::string_view expected_sha256,
                                 std::string_view field,
                                 core::TimePoint now);

/// Returns the agent's trust anchors for the server: ca_file, or the system store when it is unset.
/// Throws Error(invalid_input) naming ca_file if it is missing or holds no certificate.
pki::TrustStore trust_anchors(const AgentConfig& config);

/// Returns the directory of the agent's state (STATE_DIR): the configuration's state_dir, else the
/// deploy default ($CERTFLEET_STATE_DIR...).
std::string state_directory_of(const AgentConfig& config);

}  // namespace certfleet::agent
