#include "agent/certificate_pass.hpp"

#include "agent/first_enrollment.hpp"
#include "agent/pending_request.hpp"
#include "agent/renewal_schedule.hpp"
#include "api/api_client.hpp"
#include "api/json_codec.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "deploy/deployment.hpp"
#include "deploy/deployment_plan.hpp"
#include "deploy/renewed_source.hpp"
#include "deploy/source_reader.hpp"
#include "pki/key_spec_of.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <optional>

namespace certfleet::agent {
namespace {

using core::Error;
using core::ErrorCode;

pki::PrivateKey renewal_key(const TrackedCertificate& tracked, const pki::Certificate& current) {
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

// The root to deploy after the issued chain when the server's answer stops below it: the current
// certificate's root for a renewal, the first self-signed anchor of ca_file for an enrollment.
std::optional<pki::Certificate> known_root(const AgentConfig& config,
                                           const std::optional<formats::CertifiedKey>& current,
                                           bool by_token) {
    if (!by_token && current && current->root() != nullptr) {
        return current->root()->clone();
    }
    if (!config.ca_file.empty()) {
        for (pki::Certificate& anchor :
             pki::read_certificates(core::read_file(config.ca_file), config.ca_file)) {
            if (anchor.is_self_signed()) {
                return std::move(anchor);
            }
        }
    }
    return std::nullopt;
}

class CertificatePass {
public:
    CertificatePass(const AgentConfig& config,
                    const TrackedCertificate& tracked,
                    deploy::StateDirectory& state,
                    const PassOptions& options,
                    CertificateRecord& record)
        : m_config(config), m_tracked(tracked), m_state(state), m_options(options), m_record(record) {}

    CertificateReport run() {
        m_report.name = m_tracked.name;
        m_report.state = m_record.state;
        m_report.serial = m_record.serial;
        const deploy::DeploymentSpec spec = deploy::read_deployment_spec(m_tracked.deploy_spec);
        deploy::require_renewable_source(spec.source, m_tracked.deploy_spec, true);
        const bool files_missing =
            !std::filesystem::exists(spec.source.cert) && !std::filesystem::exists(spec.source.key);
        std::optional<formats::CertifiedKey> current;
        if (!files_missing) {
            current = deploy::read_source(spec.source);
            note_certificate(current->certificate);
        }
        const bool expired = current && current->certificate.not_after() <= m_options.now;
        const bool by_token =
            m_record.reenroll || files_missing || (expired && m_config.bootstrap.has_value());
        if (!starts(files_missing, by_token)) {
            return m_report;
        }
        if (files_missing && !m_config.bootstrap) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format(
                    "{}: {} does not exist and no bootstrap is configured (token_file or pending_request)",
                    m_tracked.name,
                    spec.source.cert));
        }
        std::optional<Issuance> obtained = obtain(spec, current, by_token);
        if (!obtained) {
            return m_report;  // waiting for an operator at the CA
        }
        const pki::PrivateKey& key = obtained->key;
        const api::IssuedCertificate& issued = obtained->issued;

        const std::string answer = fmt::format("{}: {} answer", m_config.server, obtained->source);
        formats::CertifiedKey renewal{
            .certificate = pki::Certificate::from_pem(issued.certificate_pem, answer),
            .key = key.clone(),
            .chain = pki::read_certificates(issued.chain_pem, answer)};
        if (renewal.chain.empty() || !renewal.chain.back().is_self_signed()) {
            if (std::optional<pki::Certificate> root = known_root(m_config, current, by_token)) {
                renewal.chain.push_back(std::move(*root));
            }
        }
        formats::require_consistent(renewal, answer);
        const deploy::DeploymentPlan plan = deploy::plan_deployment(
            spec,
            renewal,
            {.now = m_options.now},
            deploy::renewed_source_files(
                spec.source, issued.certificate_pem, issued.chain_pem, key.to_pkcs8_pem()));
        step(TrackingEvent::deployment_started);
        const deploy::DeploymentReport result = deploy::run_spec_deployment(
            plan,
            spec,
            m_state,
            fmt::format("agent {} {}", by_token ? "enroll" : "renew", m_tracked.name),
            m_options.now);
        m_report.deployment = result.id;
        if (!result.id.empty()) {
            m_record.last_deployment = result.id;
            m_record.last_deployment_at = m_options.now;
        }
        const std::string serial = renewal.certificate.serial_hex();
        if (result.outcome == deploy::DeploymentOutcome::rolled_back) {
            throw Error(ErrorCode::internal,
                        fmt::format("{} as {} but the deployment was rolled back: {} failed: {}",
                                    by_token ? "enrolled" : "renewed",
                                    issued.serial,
                                    result.failed_step,
                                    result.failure));
        }
        step(TrackingEvent::deployed);
        // The files the next pass reads must hold what was issued.
        const formats::CertifiedKey deployed = deploy::read_source(spec.source);
        if (deployed.certificate.serial_hex() != serial) {
            throw Error(ErrorCode::internal,
                        fmt::format("{}: {} holds serial {} after deploying {}",
                                    m_tracked.name,
                                    spec.source.cert,
                                    deployed.certificate.serial_hex(),
                                    serial));
        }
        m_report.renewed_from = by_token ? "" : m_report.serial;
        note_certificate(deployed.certificate);
        m_record.reenroll = false;
        m_record.detail.clear();
        if (!m_record.pending_request.empty() || has_pending_request_key(m_state.path(), m_tracked.name)) {
            forget_pending_request_key(m_state.path(), m_tracked.name);
            m_record.pending_request.clear();
        }
        m_report.outcome = by_token ? PassOutcome::enrolled : PassOutcome::renewed;
        step(TrackingEvent::verified);
        return m_report;
    }

private:
    // What the server issued and the key it goes with; nullopt while a pending request waits.
    struct Issuance {
        pki::PrivateKey key;
        api::IssuedCertificate issued;
        std::string source;  ///< "enroll", "renew", "request 3": names the answer in messages
    };

    [[nodiscard]] bool by_request(bool by_token) const {
        return by_token && m_config.bootstrap &&
               m_config.bootstrap->method == BootstrapMethod::pending_request;
    }

    std::optional<Issuance> obtain(const deploy::DeploymentSpec& spec,
                                   const std::optional<formats::CertifiedKey>& current,
                                   bool by_token) {
        if (m_record.state == TrackingState::pending_at_ca) {
            return poll();
        }
        if (!by_token) {
            require_client_auth(m_tracked, current->certificate);
        }
        pki::PrivateKey key = by_request(by_token) ? pending_request_key(m_state.path(), m_tracked)
                              : by_token           ? enrollment_key(m_tracked)
                                                   : renewal_key(m_tracked, current->certificate);
        step(TrackingEvent::key_generated);
        const pki::Csr csr =
            by_token ? enrollment_csr(m_tracked, key)
                     : pki::Csr::create({.subject = current->certificate.subject(),
                                         .subject_alt_names = current->certificate.subject_alt_names()},
                                        key);
        step(TrackingEvent::csr_created);
        if (by_request(by_token)) {
            return settle(submit_request(m_config, csr), std::move(key));
        }
        api::IssuedCertificate issued = submit(csr, spec, by_token);
        step(TrackingEvent::issued);
        return Issuance{
            .key = std::move(key), .issued = std::move(issued), .source = by_token ? "enroll" : "renew"};
    }

    // pending_at_ca: asks the server about the request, with the key kept since it was made.
    std::optional<Issuance> poll() {
        if (m_record.pending_request.empty() || !has_pending_request_key(m_state.path(), m_tracked.name)) {
            m_record.detail = fmt::format(
                "pending request {}: its key ({}) or id is gone; run with --force to "
                "request a certificate again",
                m_record.pending_request,
                pending_key_path(m_state.path(), m_tracked.name));
            step(TrackingEvent::refused);
            throw Error(ErrorCode::invalid_input, m_record.detail);
        }
        pki::PrivateKey key = pending_request_key(m_state.path(), m_tracked);
        api::RequestStatus status;
        try {
            status = poll_request(m_config, m_record.pending_request);
        } catch (const Error& e) {
            if (e.code() == ErrorCode::not_found) {  // the server lost it: asking again changes nothing
                step(TrackingEvent::refused);
            }
            throw;
        }
        return settle(std::move(status), std::move(key));
    }

    std::optional<Issuance> settle(api::RequestStatus status, pki::PrivateKey key) {
        const std::string source = fmt::format("request {}", status.id);
        if (status.state == "pending") {
            m_record.pending_request = status.id;
            m_record.detail =
                fmt::format("request {} ({}) waits for an operator: certfleet request approve {}",
                            status.id,
                            status.name,
                            status.id);
            step(TrackingEvent::pending);
            m_report.outcome = PassOutcome::pending;
            m_report.detail = m_record.detail;
            return std::nullopt;
        }
        if (status.state == "denied") {
            forget_pending_request_key(m_state.path(), m_tracked.name);
            m_record.pending_request.clear();
            step(TrackingEvent::refused);
            throw Error(ErrorCode::forbidden,
                        fmt::format("{} ({}) was denied: {}", source, status.name, status.reason));
        }
        if (status.state != "issued" || !status.certificate) {
            throw Error(ErrorCode::internal,
                        fmt::format("{}: unexpected state \"{}\"", source, status.state));
        }
        step(TrackingEvent::issued);
        return Issuance{.key = std::move(key), .issued = std::move(*status.certificate), .source = source};
    }

    // Whether this pass works on the certificate; moves monitoring and rejected to needs_key when it does.
    bool starts(bool files_missing, bool by_token) {
        switch (m_record.state) {
            case TrackingState::needs_key:
            case TrackingState::pending_at_ca:  // ask the server about the request
                return true;
            case TrackingState::monitoring:
            case TrackingState::adopted: {
                const bool due = m_options.force || files_missing || by_token ||
                                 (!m_report.serial.empty() && m_options.now >= m_report.next_renewal);
                if (due) {
                    step(TrackingEvent::due);
                }
                return due;
            }
            case TrackingState::rejected:
                if (m_options.force) {
                    step(TrackingEvent::due);
                    return true;
                }
                m_report.outcome = PassOutcome::failed;
                m_report.detail = fmt::format(
                    "rejected by the server until forced (--force or `certfleet "
                    "node renew`): {}",
                    m_record.detail);
                return false;
            case TrackingState::needs_operator:
                m_report.outcome = PassOutcome::needs_operator;
                m_report.detail = m_record.detail;
                return false;
            default:
                m_report.outcome = PassOutcome::failed;
                m_report.detail = fmt::format("{}: {}", to_string(m_record.state), m_record.detail);
                return false;
        }
    }

    api::IssuedCertificate submit(const pki::Csr& csr, const deploy::DeploymentSpec& spec, bool by_token) {
        try {
            return by_token ? request_enrollment(m_config, csr) : request_renewal(m_config, spec.source, csr);
        } catch (const Error& e) {
            // The server said no (a spent token, names it does not grant): asking again changes nothing.
            if (e.code() == ErrorCode::forbidden || e.code() == ErrorCode::unauthenticated) {
                step(TrackingEvent::refused);
            }
            throw;
        }
    }

    void note_certificate(const pki::Certificate& certificate) {
        m_report.serial = certificate.serial_hex();
        m_report.not_after = certificate.not_after();
        m_report.next_renewal = renewal_time(
            certificate.not_before(), certificate.not_after(), m_tracked.renew_before, m_report.serial);
        m_record.serial = m_report.serial;
        m_record.not_after = certificate.not_after();
        m_record.next_renewal = m_report.next_renewal;
    }

    void step(TrackingEvent event) {
        record_event(m_state.path(), m_record, event, m_options.now);
        m_report.state = m_record.state;
    }

    const AgentConfig& m_config;
    const TrackedCertificate& m_tracked;
    deploy::StateDirectory& m_state;
    const PassOptions& m_options;
    CertificateRecord& m_record;
    CertificateReport m_report;
};

}  // namespace

void record_event(const std::string& state_dir,
                  CertificateRecord& record,
                  TrackingEvent event,
                  core::TimePoint now) {
    record.state = next(record.state, event);
    record.updated_at = now;
    write_record(state_dir, record);
}

CertificateReport run_certificate_pass(const AgentConfig& config,
                                       const TrackedCertificate& tracked,
                                       deploy::StateDirectory& state,
                                       const PassOptions& options,
                                       CertificateRecord& record) {
    return CertificatePass(config, tracked, state, options, record).run();
}

}  // namespace certfleet::agent
