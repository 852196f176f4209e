#pragma once

#include "agent/agent_config.hpp"
#include "agent/tracking_state_machine.hpp"
#include "api/api_client.hpp"
#include "core/clock.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::agent {

/// What one pass did to a tracked certificate.
enum class PassOutcome {
    monitoring,      ///< not due: nothing done
    renewed,         ///< renewed over mTLS and deployed (every target, the hooks, the health checks)
    enrolled,        ///< its files were missing: enrolled by the bootstrap token and deployed
    failed,          ///< refused, unreachable, or the deployment was rolled back: the old files are in place
    needs_operator,  ///< the server presents a CA this node does not trust: nothing done until `agent trust`
    pending,         ///< its request waits for an operator's approval at the CA (pending_at_ca)
};

/// Returns "monitoring", "renewed", "enrolled", "failed", "needs_operator" or "pending".
std::string_view to_string(PassOutcome outcome);

/// One tracked certificate after a pass.
struct CertificateReport {
    std::string name;
    PassOutcome outcome = PassOutcome::monitoring;
    TrackingState state = TrackingState::monitoring;  ///< its state after the pass (persisted)
    std::string serial;        ///< the certificate in place after the pass ("" if unreadable)
    std::string renewed_from;  ///< the serial it replaced, when renewed
    core::TimePoint not_after;
    core::TimePoint next_renewal;
    std::string deployment;  ///< the deployment id, when one ran
    std::string detail;      ///< why it failed
};

struct PassOptions {
    core::TimePoint now;
    bool force = false;  ///< renew every certificate now, due or not
    std::string only;    ///< only the tracked certificate with this name ("" = every one)
};

/// One pass over the configured certificates. Interrupted deployments are recovered first, then each
/// certificate's persisted state (STATE_DIR/agent/NAME.json) left by an interrupted pass goes back to a
/// stable one. Then one TLS handshake with the server (check_server_trust): if it presents a CA the node
/// does not trust, every certificate goes to needs_operator with the presented root's fingerprint, and
/// nothing else happens. Otherwise each due one (renewal_time) gets a new key made here, a CSR with its
/// subject and names, POST /v1/renew over mTLS with the certificate it replaces (or POST /v1/enroll with
/// the bootstrap token: files missing, expired, or after `agent trust`), and one deployment (the spec's
/// targets and its own certificate files, hooks, health checks, rollback), every transition persisted.
/// One certificate failing does not stop the others; its report says why.
/// Throws Error(invalid_input) only for what makes the pass impossible.
std::vector<CertificateReport> run_renewal_pass(const AgentConfig& config, const PassOptions& options);

/// Returns the client options that authenticate this node to the server: the certificate and key files
/// of the first tracked certificate's deploy spec (its commonName is the node's name).
api::ClientOptions node_identity(const AgentConfig& config);

/// Whether the node has its identity certificate yet: until its first enrollment (a request waiting for
/// an operator, a token refused) it has nothing to check in or poll the server with.
bool is_enrolled(const AgentConfig& config);

}  // namespace certfleet::agent
