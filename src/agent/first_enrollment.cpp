#include "agent/first_enrollment.hpp"

#include "api/api_client.hpp"
#include "api/json_codec.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "core/secret.hpp"

#include <fmt/format.h>

namespace certfleet::agent {

using core::Error;
using core::ErrorCode;

pki::PrivateKey enrollment_key(const TrackedCertificate& tracked) {
    return pki::PrivateKey::generate(pki::KeySpec::parse(
        tracked.key_type.empty() ? "ec:p256" : tracked.key_type, tracked.name + ".key_type"));
}

pki::Csr enrollment_csr(const TrackedCertificate& tracked, const pki::PrivateKey& key) {
    if (tracked.subject.empty()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: subject: missing, so the certificate cannot be enrolled", tracked.name));
    }
    std::vector<pki::GeneralName> names;
    for (const std::string& name : tracked.sans) {
        names.push_back(pki::parse_general_name(name, tracked.name + ".sans"));
    }
    return pki::Csr::create({.subject = tracked.subject,
                             .subject_alt_names = names,
                             .purposes = {pki::KeyPurpose::server, pki::KeyPurpose::client}},
                            key);
}

api::IssuedCertificate request_enrollment(const AgentConfig& config, const pki::Csr& csr) {
    if (!config.bootstrap || config.bootstrap->method != BootstrapMethod::token_file) {
        throw Error(ErrorCode::invalid_input,
                    "bootstrap.token_file: not configured, so the certificate cannot be enrolled");
    }
    std::string token = core::read_file(config.bootstrap->token_file);
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) {
        token.pop_back();
    }
    const core::Secret secret(std::move(token));
    api::ApiClient client({.server_url = config.server, .ca_file = config.ca_file});
    const api::HttpReply reply = client.post_json(
        "/v1/enroll",
        api::encode(api::EnrollRequest{.token = std::string(secret.reveal()), .csr_pem = csr.pem()}));
    api::throw_for_reply(reply, fmt::format("{}: enroll", config.server));
    return api::decode<api::IssuedCertificate>(reply.body, fmt::format("{}: enroll answer", config.server));
}

}  // namespace certfleet::agent
