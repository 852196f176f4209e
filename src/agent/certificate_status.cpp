#include "agent/certificate_status.hpp"

#include "agent/agent_state_file.hpp"
#include "agent/renewal_schedule.hpp"
#include "agent/server_trust.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "deploy/deployment_spec.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::agent {
namespace {

using core::Error;

// The certificate a spec's `certificate` names: its first certificate is the leaf (the key is not read:
// status needs no secret).
void read_certificate(const TrackedCertificate& tracked,
                      const std::string& recorded_serial,
                      CertificateStatus& status) {
    try {
        const deploy::DeploymentSpec spec = deploy::read_deployment_spec(tracked.deploy_spec);
        const std::vector<pki::Certificate> certificates =
            pki::read_certificates(core::read_file(spec.source.cert), spec.source.cert);
        if (certificates.empty()) {
            throw Error(core::ErrorCode::invalid_input, fmt::format("{}: no certificate", spec.source.cert));
        }
        const pki::Certificate& c = certificates.front();
        status.subject = c.subject();
        status.issuer = c.issuer();
        const pki::KeyDescription key = c.key_description();
        status.key = pki::to_string(key);
        status.key_bits = key.bits;
        status.signature_algorithm = c.signature_algorithm();
        status.activated = c.not_before();
        status.expires = c.not_after();
        status.sha1_fingerprint = c.fingerprint(pki::DigestAlgorithm::sha1);
        status.serial = c.serial_hex();
        if (!status.next_renewal || status.serial != recorded_serial) {
            status.next_renewal =
                renewal_time(c.not_before(), c.not_after(), tracked.renew_before, status.serial);
        }
    } catch (const Error& e) {
        status.problem = e.what();
    }
}

}  // namespace

std::string_view to_string(StatusFlag flag) noexcept {
    switch (flag) {
        case StatusFlag::expired:
            return "expired";
        case StatusFlag::expires_soon:
            return "expires_soon";
        case StatusFlag::failing:
            return "failing";
        case StatusFlag::needs_operator:
            return "needs_operator";
        case StatusFlag::unreadable:
            return "unreadable";
    }
    return "unreadable";
}

std::vector<StatusFlag> status_flags(const CertificateStatus& status, core::TimePoint now) {
    std::vector<StatusFlag> flags;
    const bool failing = status.last_outcome == "failed";
    if (!status.problem.empty()) {
        flags.push_back(StatusFlag::unreadable);
    }
    if (status.state == TrackingState::needs_operator) {
        flags.push_back(StatusFlag::needs_operator);
    }
    if (failing) {
        flags.push_back(StatusFlag::failing);
    }
    if (status.expires && *status.expires <= now) {
        flags.push_back(StatusFlag::expired);
    } else if (status.expires && status.activated) {
        const core::Seconds lifetime = *status.expires - *status.activated;
        const bool last_tenth = *status.expires - now < lifetime / 10;
        const bool overdue = failing && status.next_renewal && now >= *status.next_renewal;
        if (last_tenth || overdue) {
            flags.push_back(StatusFlag::expires_soon);
        }
    }
    return flags;
}

bool CertificateStatus::is_healthy() const {
    return (state == TrackingState::monitoring || state == TrackingState::adopted) && flags.empty();
}

std::vector<CertificateStatus> read_certificate_status(const AgentConfig& config, core::TimePoint now) {
    const std::string state_dir = state_directory_of(config);
    std::vector<CertificateStatus> out;
    for (const TrackedCertificate& tracked : config.certificates) {
        CertificateStatus status{.name = tracked.name};
        std::string recorded_serial;
        if (const std::optional<CertificateRecord> record = read_record(state_dir, tracked.name)) {
            status.state = record->state;
            status.last_outcome = record->last_outcome;
            status.detail = record->detail;
            status.last_deployment = record->last_deployment;
            status.last_deployment_at = record->last_deployment_at;
            status.next_renewal = record->next_renewal;
            recorded_serial = record->serial;
            status.presented_root_sha256 = record->presented_root_sha256;
            status.presented_root_subject = record->presented_root_subject;
        }
        read_certificate(tracked, recorded_serial, status);
        // No record: the agent has not run yet; files in place are what a first pass would monitor.
        if (status.last_outcome.empty() && status.state == TrackingState::needs_key &&
            status.problem.empty()) {
            status.state = TrackingState::monitoring;
        }
        status.flags = status_flags(status, now);
        out.push_back(std::move(status));
    }
    return out;
}

}  // namespace certfleet::agent
