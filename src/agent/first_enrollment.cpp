#include "agent/first_enrollment.hpp"

#include "agent/renewal_schedule.hpp"
#include "api/api_client.hpp"
#include "api/json_codec.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/secret.hpp"
#include "deploy/deployment.hpp"
#include "deploy/deployment_plan.hpp"
#include "deploy/renewed_source.hpp"
#include "pki/csr.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>

namespace certfleet::agent {

using core::Error;
using core::ErrorCode;

CertificateReport enroll_first(const AgentConfig& config,
                               const TrackedCertificate& tracked,
                               const deploy::DeploymentSpec& spec,
                               deploy::StateDirectory& state,
                               core::TimePoint now) {
    CertificateReport report{.name = tracked.name, .outcome = PassOutcome::failed};
    if (tracked.subject.empty()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: {} does not exist and the certificate has no subject to enroll with",
                                tracked.name,
                                spec.source.cert));
    }
    std::string token = core::read_file(config.bootstrap->token_file);
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) {
        token.pop_back();
    }
    const core::Secret secret(std::move(token));
    const pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse(
        tracked.key_type.empty() ? "ec:p256" : tracked.key_type, tracked.name + ".key_type"));
    std::vector<pki::GeneralName> names;
    for (const std::string& name : tracked.sans) {
        names.push_back(pki::parse_general_name(name, tracked.name + ".sans"));
    }
    const pki::Csr csr = pki::Csr::create({.subject = tracked.subject,
                                           .subject_alt_names = names,
                                           .purposes = {pki::KeyPurpose::server, pki::KeyPurpose::client}},
                                          key);
    api::ApiClient client({.server_url = config.server, .ca_file = config.ca_file});
    const api::HttpReply reply = client.post_json(
        "/v1/enroll",
        api::encode(api::EnrollRequest{.token = std::string(secret.reveal()), .csr_pem = csr.pem()}));
    api::throw_for_reply(reply, fmt::format("{}: enroll", config.server));
    const std::string answer = fmt::format("{}: enroll answer", config.server);
    const auto issued = api::decode<api::IssuedCertificate>(reply.body, answer);
    formats::CertifiedKey enrolled{.certificate = pki::Certificate::from_pem(issued.certificate_pem, answer),
                                   .key = key.clone(),
                                   .chain = pki::read_certificates(issued.chain_pem, answer)};
    if (!config.ca_file.empty() && (enrolled.chain.empty() || !enrolled.chain.back().is_self_signed())) {
        for (pki::Certificate& anchor :
             pki::read_certificates(core::read_file(config.ca_file), config.ca_file)) {
            if (anchor.is_self_signed()) {
                enrolled.chain.push_back(std::move(anchor));
                break;
            }
        }
    }
    formats::require_consistent(enrolled, answer);
    const deploy::DeploymentPlan plan = deploy::plan_deployment(
        spec,
        enrolled,
        {.now = now},
        deploy::renewed_source_files(
            spec.source, issued.certificate_pem, issued.chain_pem, key.to_pkcs8_pem()));
    const deploy::DeploymentReport result =
        deploy::run_spec_deployment(plan, spec, state, fmt::format("agent enroll {}", tracked.name), now);
    report.deployment = result.id;
    report.serial = enrolled.certificate.serial_hex();
    if (result.outcome == deploy::DeploymentOutcome::rolled_back) {
        report.detail = fmt::format("enrolled as {} but the deployment was rolled back: {} failed: {}",
                                    issued.serial,
                                    result.failed_step,
                                    result.failure);
        return report;
    }
    report.outcome = PassOutcome::enrolled;
    report.next_renewal = renewal_time(enrolled.certificate.not_before(),
                                       enrolled.certificate.not_after(),
                                       tracked.renew_before,
                                       report.serial);
    return report;
}

}  // namespace certfleet::agent
