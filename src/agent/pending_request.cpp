#include "agent/pending_request.hpp"

#include "agent/agent_state_file.hpp"
#include "agent/first_enrollment.hpp"
#include "api/api_client.hpp"
#include "api/json_codec.hpp"
#include "core/error.hpp"
#include "core/file.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

namespace certfleet::agent {

using core::Error;
using core::ErrorCode;

std::string pending_key_path(const std::string& state_dir, std::string_view name) {
    std::filesystem::path path(record_path(state_dir, name));
    path.replace_extension(".key");
    return path.string();
}

bool has_pending_request_key(const std::string& state_dir, std::string_view name) {
    std::error_code ec;
    return std::filesystem::exists(pending_key_path(state_dir, name), ec);
}

pki::PrivateKey pending_request_key(const std::string& state_dir, const TrackedCertificate& tracked) {
    const std::string path = pending_key_path(state_dir, tracked.name);
    if (has_pending_request_key(state_dir, tracked.name)) {
        return pki::PrivateKey::from_pem(core::read_file(path), path, nullptr);
    }
    pki::PrivateKey key = enrollment_key(tracked);
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (std::filesystem::create_directories(dir, ec)) {
        std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
    }
    if (ec) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: cannot create: {}", dir.string(), ec.message()));
    }
    core::write_file_atomically(
        path, key.to_pkcs8_pem(), {.mode = 0600, .overwrite = core::Overwrite::replace});
    return key;
}

void forget_pending_request_key(const std::string& state_dir, std::string_view name) {
    std::error_code ec;
    std::filesystem::remove(pending_key_path(state_dir, name), ec);
}

api::RequestStatus submit_request(const AgentConfig& config, const pki::Csr& csr) {
    api::ApiClient client({.server_url = config.server, .ca_file = config.ca_file});
    const api::HttpReply reply =
        client.post_json("/v1/requests", api::encode(api::CsrSubmission{.csr_pem = csr.pem()}));
    api::throw_for_reply(reply, fmt::format("{}: POST /v1/requests", config.server));
    return api::decode<api::RequestStatus>(reply.body,
                                           fmt::format("{}: POST /v1/requests answer", config.server));
}

api::RequestStatus poll_request(const AgentConfig& config, std::string_view id) {
    api::ApiClient client({.server_url = config.server, .ca_file = config.ca_file});
    const std::string what = fmt::format("{}: GET /v1/requests/{}", config.server, id);
    const api::HttpReply reply = client.get(fmt::format("/v1/requests/{}", id));
    api::throw_for_reply(reply, what);
    return api::decode<api::RequestStatus>(reply.body, what);
}

}  // namespace certfleet::agent
