#pragma once

#include "agent/agent_config.hpp"
#include "agent/renewal_pass.hpp"
#include "core/clock.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <string_view>

namespace certfleet::agent {

/// How the daemon runs; the defaults are production's.
struct DaemonOptions {
    std::chrono::seconds pass_interval{30 * 60};  ///< between renewal passes (and check-ins)
    std::chrono::seconds poll_wait{30};           ///< ?wait= of each actions long-poll
    std::chrono::seconds max_backoff{300};        ///< the longest wait after the server failed
    const std::atomic<bool>* stop = nullptr;      ///< set (by SIGTERM) to end the loop
    /// Told "READY=1" after the first pass and "WATCHDOG=1" on every turn (sd_notify).
    std::function<void(std::string_view)> notify;
    /// Told each pass's and each action's reports (the log).
    std::function<void(const std::vector<CertificateReport>&)> on_reports;
};

/// Returns how long to wait after `failures` failures in a row: exponential from 1 s up to `max`, with
/// full jitter (a random share of it), so that a fleet does not come back at the same second when the
/// server returns. `random` is in [0, 1).
std::chrono::milliseconds backoff_delay(unsigned failures, std::chrono::seconds max, double random);

/// Checks in with the server (POST /v1/checkin over mTLS as node_identity(config)): this agent's version
/// and each certificate's serial, notAfter and state from `reports`, so `certfleet node list` shows the
/// node as seen. Throws Error(unavailable) when the server cannot be reached, or the server's refusal.
void check_in(const AgentConfig& config, const std::vector<CertificateReport>& reports);
/// As check_in(config, reports), on `client`'s connection (the daemon's kept one).
void check_in(api::ApiClient& client,
              const AgentConfig& config,
              const std::vector<CertificateReport>& reports);

/// Runs the agent until options.stop: a renewal pass and a check-in every pass_interval, and in between
/// it holds the server's actions long-poll, so that `certfleet node renew NODE` reaches the node within a
/// second: a renew action runs a forced pass (of the named certificate, or all) and reports its outcome
/// (POST /v1/actions/ID); an operation action runs the node's own operation of that name
/// (run_operation), or is refused when it has none. When the server cannot be reached the files stay as they
/// are and the agent retries with backoff_delay. The node authenticates with node_identity(config).
void run_daemon(const AgentConfig& config, const DaemonOptions& options, const core::Clock& clock);

}  // namespace certfleet::agent
