#pragma once

#include "agent/tracking_state_machine.hpp"
#include "core/clock.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace certfleet::agent {

/// What the agent remembers of one tracked certificate between passes (STATE_DIR/agent/NAME.json).
/// It holds no secret: the key lives in the certificate files of the deploy spec (and, while a pending
/// request waits, in STATE_DIR/agent/NAME.key, 0600: pending_request.hpp).
struct CertificateRecord {
    std::string name;
    TrackingState state = TrackingState::needs_key;
    std::string serial;  ///< the certificate in place ("" before the first one)
    std::optional<core::TimePoint> not_after;
    std::optional<core::TimePoint> next_renewal;
    std::string last_deployment;  ///< the deploy engine's id of the last deployment that ran
    std::optional<core::TimePoint> last_deployment_at;
    std::string
        last_outcome;    ///< the last pass: "monitoring", "renewed", "enrolled", "failed", "needs_operator"
    std::string detail;  ///< why the last pass failed, or why an operator is needed
    std::optional<core::TimePoint> updated_at;
    /// Set by `agent trust`: the next certificate comes from the bootstrap token, not from a renewal
    /// authenticated by the current certificate (issued by a CA the server no longer has).
    bool reenroll = false;
    std::string presented_root_sha256;  ///< needs_operator: the root the server presented
    std::string presented_root_subject;
    std::string pending_request;  ///< pending_at_ca: the server's id of the request (GET /v1/requests/ID)
};

/// Returns STATE_DIR/agent/NAME.json. Throws Error(invalid_input) if `name` cannot be a file name
/// (empty, ".", "..", a '/' or a leading '.').
std::string record_path(const std::string& state_dir, std::string_view name);

/// Returns the record of `name`, or std::nullopt if the agent never wrote one.
/// Throws Error(invalid_input) naming the file if it is not such a record.
std::optional<CertificateRecord> read_record(const std::string& state_dir, std::string_view name);

/// Writes `record` atomically (readers see the old record or the new one, never a mix), 0644, creating
/// STATE_DIR/agent/ (0700) if needed. Throws Error(unavailable) naming the file on an I/O error.
void write_record(const std::string& state_dir, const CertificateRecord& record);

/// Returns the record as the JSON text written to its file.
std::string to_json(const CertificateRecord& record);

/// Parses a record. Throws Error(invalid_input) naming `source` and the field.
CertificateRecord parse_record(std::string_view text, std::string_view source);

}  // namespace certfleet::agent
