#include "agent/adoption.hpp"

#include "agent/agent_state_file.hpp"
#include "agent/certificate_pass.hpp"
#include "agent/pending_request.hpp"
#include "agent/renewal_schedule.hpp"
#include "agent/server_trust.hpp"
#include "core/error.hpp"
#include "deploy/deployment_plan.hpp"
#include "deploy/deployment_spec.hpp"
#include "deploy/recovery.hpp"
#include "deploy/renewed_source.hpp"
#include "deploy/source_reader.hpp"
#include "deploy/state_directory.hpp"
#include "pki/chain_verifier.hpp"
#include "pki/distinguished_name.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace certfleet::agent {
namespace {

using core::Error;
using core::ErrorCode;

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return text;
}

// A certificate's names as `agent adopt` compares them: its commonName and its subjectAltNames' values.
std::vector<std::string> names_of(const pki::Certificate& certificate) {
    std::vector<std::string> names;
    if (const std::string cn = certificate.subject_common_name(); !cn.empty()) {
        names.push_back(lower(cn));
    }
    for (const pki::GeneralName& san : certificate.subject_alt_names()) {
        if (std::find(names.begin(), names.end(), lower(san.value)) == names.end()) {
            names.push_back(lower(san.value));
        }
    }
    return names;
}

// The names the configuration gives `tracked`, and the commonName of the certificate in its files.
std::vector<std::string> configured_names(const TrackedCertificate& tracked) {
    std::vector<std::string> names;
    if (!tracked.subject.empty()) {
        if (const std::string cn =
                pki::common_name(pki::parse_name(tracked.subject, tracked.name + ".subject").get());
            !cn.empty()) {
            names.push_back(lower(cn));
        }
    }
    for (const std::string& san : tracked.sans) {
        names.push_back(lower(pki::parse_general_name(san, tracked.name + ".sans").value));
    }
    try {
        const deploy::DeploymentSpec spec = deploy::read_deployment_spec(tracked.deploy_spec);
        if (std::filesystem::exists(spec.source.cert)) {
            const formats::CertifiedKey current = deploy::read_source(spec.source);
            if (const std::string cn = current.certificate.subject_common_name(); !cn.empty()) {
                names.push_back(lower(cn));
            }
        }
    } catch (const Error&) {
        // Unreadable files: the configured names decide.
    }
    return names;
}

bool matches(const TrackedCertificate& tracked, const std::vector<std::string>& names) {
    const std::vector<std::string> wanted = configured_names(tracked);
    return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& name) {
        return std::find(names.begin(), names.end(), name) != names.end();
    });
}

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& name : names) {
        out += out.empty() ? name : ", " + name;
    }
    return out;
}

// Moves the record to adopted with the deployed certificate; a pending request is dropped with its key.
void mark_adopted(const std::string& state_dir,
                  const TrackedCertificate& tracked,
                  const AdoptionReport& report,
                  std::string_view source,
                  core::TimePoint now) {
    CertificateRecord record =
        read_record(state_dir, tracked.name)
            .value_or(CertificateRecord{.name = tracked.name, .state = TrackingState::needs_key});
    if (!is_stable(record.state)) {
        record.state = next(record.state, TrackingEvent::restarted);
    }
    record.serial = report.serial;
    record.not_after = report.not_after;
    record.next_renewal = report.next_renewal;
    if (!report.deployment.empty()) {
        record.last_deployment = report.deployment;
        record.last_deployment_at = now;
    }
    record.last_outcome = "adopted";
    record.detail = fmt::format("adopted from {}", source);
    record.reenroll = false;
    record.pending_request.clear();
    forget_pending_request_key(state_dir, tracked.name);
    record_event(state_dir, record, TrackingEvent::adopted_by_operator, now);
}

}  // namespace

const TrackedCertificate& tracked_certificate_for(const AgentConfig& config,
                                                  const pki::Certificate& certificate,
                                                  std::string_view only,
                                                  std::string_view source) {
    const std::vector<std::string> names = names_of(certificate);
    std::vector<const TrackedCertificate*> found;
    for (const TrackedCertificate& tracked : config.certificates) {
        if (!only.empty() && tracked.name != only) {
            continue;
        }
        if (!only.empty() || matches(tracked, names)) {
            found.push_back(&tracked);
        }
    }
    if (!only.empty() && found.empty()) {
        throw Error(ErrorCode::not_found,
                    fmt::format("--certificate: \"{}\" is not a tracked certificate", only));
    }
    if (!only.empty() && !matches(*found.front(), names)) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{}: the certificate's names ({}) are not those of tracked certificate \"{}\"",
                        source,
                        joined(names),
                        only));
    }
    if (found.empty()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: the certificate's names ({}) match no tracked certificate of this node "
                                "(its subject or sans): a certificate for another node?",
                                source,
                                joined(names)));
    }
    if (found.size() > 1) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{}: the certificate's names ({}) match tracked certificates \"{}\" and \"{}\": "
                        "choose one with --certificate",
                        source,
                        joined(names),
                        found[0]->name,
                        found[1]->name));
    }
    return *found.front();
}

std::vector<pki::Certificate> require_adoptable(const AgentConfig& config,
                                                const formats::CertifiedKey& bundle,
                                                core::TimePoint now,
                                                std::string_view source) {
    const pki::Certificate& certificate = bundle.certificate;
    if (certificate.not_after() <= now) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: certificate {} expired at {}",
                                source,
                                certificate.serial_hex(),
                                pki::format_time(certificate.not_after())));
    }
    if (certificate.not_before() > now) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: certificate {} is not valid before {}",
                                source,
                                certificate.serial_hex(),
                                pki::format_time(certificate.not_before())));
    }
    pki::ChainVerdict verdict =
        pki::verify_chain(certificate, bundle.chain, trust_anchors(config), {.at = now});
    if (!verdict.is_clean()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: certificate {} does not chain to the CA this node trusts ({}): {}",
                                source,
                                certificate.serial_hex(),
                                config.ca_file.empty() ? "the system store" : config.ca_file,
                                verdict.findings.front().message));
    }
    std::vector<pki::Certificate> chain;
    for (std::size_t i = 1; i < verdict.chain.size(); ++i) {
        chain.push_back(std::move(verdict.chain[i]));
    }
    return chain;
}

AdoptionReport adopt_certificate(const AgentConfig& config,
                                 const formats::NodePackage& package,
                                 const AdoptionOptions& options,
                                 std::string_view source) {
    deploy::StateDirectory state(state_directory_of(config));
    static_cast<void>(deploy::recover_interrupted(state, "certfleet agent adopt"));
    formats::CertifiedKey bundle = formats::certified_key_of(package, source);
    bundle.chain = require_adoptable(config, bundle, options.now, source);
    const TrackedCertificate& tracked =
        tracked_certificate_for(config, bundle.certificate, options.only, source);
    const deploy::DeploymentSpec spec = deploy::read_deployment_spec(tracked.deploy_spec);
    deploy::require_renewable_source(spec.source, tracked.deploy_spec, true);
    const std::string serial = bundle.certificate.serial_hex();
    const deploy::DeploymentPlan plan = deploy::plan_deployment(
        spec,
        bundle,
        {.now = options.now},
        deploy::renewed_source_files(
            spec.source, bundle.certificate.pem(), package.chain_pem, bundle.key->to_pkcs8_pem()));
    const deploy::DeploymentReport result = deploy::run_spec_deployment(
        plan, spec, state, fmt::format("agent adopt {}", tracked.name), options.now);
    AdoptionReport report{
        .name = tracked.name,
        .serial = serial,
        .not_after = bundle.certificate.not_after(),
        .next_renewal = renewal_time(
            bundle.certificate.not_before(), bundle.certificate.not_after(), tracked.renew_before, serial),
        .outcome = result.outcome,
        .deployment = result.id,
        .failure = {}};
    if (result.outcome == deploy::DeploymentOutcome::rolled_back) {
        report.failure = fmt::format("{} failed: {}", result.failed_step, result.failure);
        return report;
    }
    const formats::CertifiedKey deployed = deploy::read_source(spec.source);
    if (deployed.certificate.serial_hex() != serial) {
        throw Error(ErrorCode::internal,
                    fmt::format("{}: {} holds serial {} after deploying {}",
                                tracked.name,
                                spec.source.cert,
                                deployed.certificate.serial_hex(),
                                serial));
    }
    mark_adopted(state.path(), tracked, report, source, options.now);
    return report;
}

}  // namespace certfleet::agent
