#pragma once

#include "agent/agent_config.hpp"
#include "agent/tracking_state_machine.hpp"
#include "core/clock.hpp"

#include <optional>
#include <string>
#include <vector>

namespace certfleet::agent {

/// What `agent status` flags about a certificate.
enum class StatusFlag {
    expired,         ///< notAfter has passed
    expires_soon,    ///< less than 1/10 of its lifetime left, or past its renewal time while failing
    failing,         ///< the last pass failed (the detail says why)
    needs_operator,  ///< the server presents a CA this node does not trust
    unreadable,      ///< the certificate files are missing or cannot be read
};

/// Returns "expired", "expires_soon", "failing", "needs_operator" or "unreadable".
std::string_view to_string(StatusFlag flag) noexcept;

/// One tracked certificate as the node holds it: seed 001's fields from its files, the agent's record.
struct CertificateStatus {
    std::string name;
    TrackingState state = TrackingState::needs_key;
    // The certificate file (empty when it cannot be read: `problem` says why).
    std::string subject;
    std::string issuer;
    std::string key;  ///< "EC P-256", "RSA 2048"
    int key_bits = 0;
    std::string signature_algorithm;
    std::optional<core::TimePoint> activated;  ///< notBefore
    std::optional<core::TimePoint> expires;    ///< notAfter
    std::string sha1_fingerprint;              ///< as OpenSSL prints it
    std::string serial;
    std::string problem;
    // The agent's record.
    std::string last_outcome;
    std::string detail;
    std::string last_deployment;
    std::optional<core::TimePoint> last_deployment_at;
    std::optional<core::TimePoint> next_renewal;
    std::string presented_root_sha256;  ///< needs_operator: the root the server presented
    std::string presented_root_subject;
    std::vector<StatusFlag> flags;

    /// Returns true when the certificate needs no one: monitoring, not failing, not expired.
    [[nodiscard]] bool is_healthy() const;
};

/// Returns what needs attention about `status` at `now` (its flags field is not read): unreadable files,
/// needs_operator, failing (the last pass failed), expired, or expires_soon: less than 1/10 of the
/// lifetime left, or past the renewal time while failing.
std::vector<StatusFlag> status_flags(const CertificateStatus& status, core::TimePoint now);

/// Reads each tracked certificate's files (its deploy spec's `certificate`) and its state record, and
/// flags what needs attention at `now`. Needs no server. A certificate whose files or spec cannot be
/// read is reported (`problem`), not thrown.
/// Throws Error(invalid_input) only for a record file that is not one.
std::vector<CertificateStatus> read_certificate_status(const AgentConfig& config, core::TimePoint now);

}  // namespace certfleet::agent
