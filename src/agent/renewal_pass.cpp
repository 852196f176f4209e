#include "agent/renewal_pass.hpp"

#include "agent/agent_state_file.hpp"
#include "agent/certificate_pass.hpp"
#include "agent/server_trust.hpp"
#include "core/error.hpp"
#include "deploy/deployment_spec.hpp"
#include "deploy/recovery.hpp"
#include "deploy/source_reader.hpp"
#include "deploy/state_directory.hpp"
#include "pki/chain_verifier.hpp"
#include "pki/trust_store.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace certfleet::agent {
namespace {

using core::Error;

// A certificate the agent has no record of starts from its files: monitoring them if they exist.
CertificateRecord load_record(const std::string& state_dir,
                              const TrackedCertificate& tracked,
                              core::TimePoint now) {
    if (std::optional<CertificateRecord> record = read_record(state_dir, tracked.name)) {
        if (!is_stable(record->state)) {
            record_event(state_dir, *record, TrackingEvent::restarted, now);
        }
        return *record;
    }
    CertificateRecord record{.name = tracked.name, .state = TrackingState::needs_key};
    try {
        const deploy::DeploymentSpec spec = deploy::read_deployment_spec(tracked.deploy_spec);
        if (std::filesystem::exists(spec.source.cert)) {
            record.state = TrackingState::monitoring;
        }
    } catch (const Error&) {
        // The pass reports the spec's problem; the record starts as needs_key.
    }
    return record;
}

// Whether the certificate in place still chains to ca_file: after the server is trusted again (the
// old CA back, or ca_file replaced by hand), it renews as before; otherwise it enrolls again.
bool chains_to_anchors(const AgentConfig& config, const TrackedCertificate& tracked) {
    try {
        const deploy::DeploymentSpec spec = deploy::read_deployment_spec(tracked.deploy_spec);
        const formats::CertifiedKey current = deploy::read_source(spec.source);
        const pki::TrustStore anchors = trust_anchors(config);
        return pki::verify_chain(
                   current.certificate, current.chain, anchors, {.anchors = pki::AnchorRule::any_trusted})
            .is_clean();
    } catch (const Error&) {
        return false;
    }
}

CertificateReport needs_operator(const AgentConfig& config,
                                 const std::string& state_dir,
                                 CertificateRecord& record,
                                 const ServerTrustCheck& trust,
                                 core::TimePoint now) {
    record.presented_root_sha256 = trust.root_sha256;
    record.presented_root_subject = trust.root_subject;
    record.last_outcome = std::string(to_string(PassOutcome::needs_operator));
    record.detail = fmt::format(
        "the server {} presents a CA this node does not trust ({}): its root \"{}\" has SHA-256 {}. "
        "Nothing was sent and no file changed. If the CA was regenerated on purpose: certfleet agent trust "
        "--config CONFIG --ca-fingerprint {}",
        config.server,
        trust.detail,
        trust.root_subject,
        trust.root_sha256,
        trust.root_sha256);
    record_event(state_dir, record, TrackingEvent::untrusted_server, now);
    return {.name = record.name,
            .outcome = PassOutcome::needs_operator,
            .state = record.state,
            .serial = record.serial,
            .not_after = record.not_after.value_or(core::TimePoint{}),
            .next_renewal = record.next_renewal.value_or(core::TimePoint{}),
            .detail = record.detail};
}

}  // namespace

std::string_view to_string(PassOutcome outcome) {
    switch (outcome) {
        case PassOutcome::monitoring:
            return "monitoring";
        case PassOutcome::renewed:
            return "renewed";
        case PassOutcome::enrolled:
            return "enrolled";
        case PassOutcome::failed:
            return "failed";
        case PassOutcome::needs_operator:
            return "needs_operator";
        case PassOutcome::pending:
            return "pending";
    }
    return "failed";
}

std::vector<CertificateReport> run_renewal_pass(const AgentConfig& config, const PassOptions& options) {
    deploy::StateDirectory state(state_directory_of(config));
    // The deploy engine first: an interrupted deployment's files are put back before any state is read.
    static_cast<void>(deploy::recover_interrupted(state, "certfleet agent"));
    const ServerTrustCheck trust = check_server_trust(config);
    std::vector<CertificateReport> reports;
    for (const TrackedCertificate& tracked : config.certificates) {
        if (!options.only.empty() && tracked.name != options.only) {
            continue;
        }
        CertificateRecord record = load_record(state.path(), tracked, options.now);
        if (trust.verdict == TrustVerdict::untrusted) {
            reports.push_back(needs_operator(config, state.path(), record, trust, options.now));
            continue;
        }
        if (trust.verdict == TrustVerdict::trusted && record.state == TrackingState::needs_operator) {
            record.reenroll = !chains_to_anchors(config, tracked);
            record_event(state.path(), record, TrackingEvent::operator_trusted, options.now);
        }
        try {
            CertificateReport report = run_certificate_pass(config, tracked, state, options, record);
            record.last_outcome = std::string(to_string(report.outcome));
            if (report.outcome == PassOutcome::monitoring || report.outcome == PassOutcome::renewed ||
                report.outcome == PassOutcome::enrolled) {
                record.detail.clear();
            }
            record.updated_at = options.now;
            write_record(state.path(), record);
            reports.push_back(std::move(report));
        } catch (const Error& e) {
            // A refusal already left it rejected; a failure before any step leaves a stable state as it is.
            if (record.state != TrackingState::rejected && record.state != TrackingState::monitoring &&
                record.state != TrackingState::needs_operator && record.state != TrackingState::adopted) {
                record.state = next(record.state, TrackingEvent::failed);
            }
            record.last_outcome = std::string(to_string(PassOutcome::failed));
            record.detail = e.what();
            record.updated_at = options.now;
            write_record(state.path(), record);
            reports.push_back(
                {.name = tracked.name,
                 .outcome = PassOutcome::failed,
                 .state = record.state,
                 .serial = record.serial,
                 .not_after = record.not_after.value_or(core::TimePoint{}),
                 .next_renewal = record.next_renewal.value_or(core::TimePoint{}),
                 .deployment = record.last_deployment_at == options.now ? record.last_deployment : "",
                 .detail = e.what()});
        }
    }
    return reports;
}

api::ClientOptions node_identity(const AgentConfig& config) {
    const deploy::DeploymentSpec spec = deploy::read_deployment_spec(config.certificates.at(0).deploy_spec);
    return {.server_url = config.server,
            .ca_file = config.ca_file,
            .client_cert_file = spec.source.cert,
            .client_key_file = spec.source.key};
}

bool is_enrolled(const AgentConfig& config) {
    return std::filesystem::exists(node_identity(config).client_cert_file);
}

}  // namespace certfleet::agent
