#include "agent/renewal_pass.hpp"

#include "agent/first_enrollment.hpp"
#include "agent/renewal_schedule.hpp"
#include "api/api_client.hpp"
#include "api/json_codec.hpp"
#include "core/error.hpp"
#include "deploy/deployment.hpp"
#include "deploy/deployment_plan.hpp"
#include "deploy/recovery.hpp"
#include "deploy/renewed_source.hpp"
#include "deploy/source_reader.hpp"
#include "deploy/state_directory.hpp"
#include "pki/csr.hpp"
#include "pki/key_spec_of.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace certfleet::agent {
namespace {

using core::Error;
using core::ErrorCode;

pki::PrivateKey new_key(const TrackedCertificate& tracked, const pki::Certificate& current) {
    if (!tracked.key_type.empty()) {
        return pki::PrivateKey::generate(pki::KeySpec::parse(tracked.key_type, tracked.name + ".key_type"));
    }
    const auto spec = pki::key_spec_of(current.key_description());
    if (!spec) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{}: the certificate's key is {}, which certfleet does not generate: set key_type",
                        tracked.name,
                        pki::to_string(current.key_description())));
    }
    return pki::PrivateKey::generate(*spec);
}

// Throws Error(invalid_input) if `current` cannot authenticate a TLS client: the server would end the
// handshake, and the node would only see a reset connection.
void require_client_auth(const TrackedCertificate& tracked, const pki::Certificate& current) {
    const std::vector<pki::ExtendedKeyUsage> usages = current.extended_key_usage();
    const bool client = usages.empty() || std::any_of(usages.begin(), usages.end(), [](const auto& u) {
                            return u.short_name == "clientAuth" || u.short_name == "anyExtendedKeyUsage";
                        });
    if (!client) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: certificate {} has no clientAuth extended key usage, so it cannot "
                                "authenticate to the server to renew itself: issue it with the peer or "
                                "client profile (certfleet cert issue --profile peer)",
                                tracked.name,
                                current.serial_hex()));
    }
}

// Asks the server for the renewal, authenticating with the certificate it replaces.
api::IssuedCertificate request_renewal(const AgentConfig& config,
                                       const deploy::SourceSpec& source,
                                       const pki::Csr& csr) {
    api::ApiClient client({.server_url = config.server,
                           .ca_file = config.ca_file,
                           .client_cert_file = source.cert,
                           .client_key_file = source.key});
    const api::HttpReply reply =
        client.post_json("/v1/renew", api::encode(api::CsrSubmission{.csr_pem = csr.pem()}));
    api::throw_for_reply(reply, fmt::format("{}: renew", config.server));
    return api::decode<api::IssuedCertificate>(reply.body, fmt::format("{}: renew answer", config.server));
}

CertificateReport renew_one(const AgentConfig& config,
                            const TrackedCertificate& tracked,
                            deploy::StateDirectory& state,
                            const PassOptions& options) {
    CertificateReport report{.name = tracked.name};
    const deploy::DeploymentSpec spec = deploy::read_deployment_spec(tracked.deploy_spec);
    deploy::require_renewable_source(spec.source, tracked.deploy_spec, true);
    if (config.bootstrap && !std::filesystem::exists(spec.source.cert) &&
        !std::filesystem::exists(spec.source.key)) {
        return enroll_first(config, tracked, spec, state, options.now);
    }
    const formats::CertifiedKey current = deploy::read_source(spec.source);
    report.serial = current.certificate.serial_hex();
    report.next_renewal = renewal_time(current.certificate.not_before(),
                                       current.certificate.not_after(),
                                       tracked.renew_before,
                                       report.serial);
    if (options.now < report.next_renewal && !options.force) {
        return report;
    }

    require_client_auth(tracked, current.certificate);
    const pki::PrivateKey key = new_key(tracked, current.certificate);
    const pki::Csr csr = pki::Csr::create({.subject = current.certificate.subject(),
                                           .subject_alt_names = current.certificate.subject_alt_names()},
                                          key);
    const api::IssuedCertificate issued = request_renewal(config, spec.source, csr);
    const std::string answer = fmt::format("{}: renew answer", config.server);
    formats::CertifiedKey renewal{.certificate = pki::Certificate::from_pem(issued.certificate_pem, answer),
                                  .key = key.clone(),
                                  .chain = pki::read_certificates(issued.chain_pem, answer)};
    if (const pki::Certificate* root = current.root();
        root != nullptr && (renewal.chain.empty() || !renewal.chain.back().is_self_signed())) {
        renewal.chain.push_back(root->clone());
    }
    formats::require_consistent(renewal, answer);

    const deploy::DeploymentPlan plan = deploy::plan_deployment(
        spec,
        renewal,
        {.now = options.now},
        deploy::renewed_source_files(
            spec.source, issued.certificate_pem, issued.chain_pem, key.to_pkcs8_pem()));
    const deploy::DeploymentReport result = deploy::run_spec_deployment(
        plan, spec, state, fmt::format("agent renew {}", tracked.name), options.now);
    report.deployment = result.id;
    if (result.outcome == deploy::DeploymentOutcome::rolled_back) {
        report.outcome = PassOutcome::failed;
        report.detail = fmt::format("renewed as {} but the deployment was rolled back: {} failed: {}",
                                    issued.serial,
                                    result.failed_step,
                                    result.failure);
        return report;
    }
    report.outcome = PassOutcome::renewed;
    report.renewed_from = report.serial;
    report.serial = renewal.certificate.serial_hex();
    report.next_renewal = renewal_time(renewal.certificate.not_before(),
                                       renewal.certificate.not_after(),
                                       tracked.renew_before,
                                       report.serial);
    return report;
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
    }
    return "failed";
}

std::vector<CertificateReport> run_renewal_pass(const AgentConfig& config, const PassOptions& options) {
    deploy::StateDirectory state(config.state_dir.empty() ? deploy::default_state_directory()
                                                          : config.state_dir);
    static_cast<void>(deploy::recover_interrupted(state, "certfleet agent"));
    std::vector<CertificateReport> reports;
    for (const TrackedCertificate& tracked : config.certificates) {
        if (!options.only.empty() && tracked.name != options.only) {
            continue;
        }
        try {
            reports.push_back(renew_one(config, tracked, state, options));
        } catch (const Error& e) {
            reports.push_back({.name = tracked.name, .outcome = PassOutcome::failed, .detail = e.what()});
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

}  // namespace certfleet::agent
