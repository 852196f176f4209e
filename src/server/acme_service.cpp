#include "server/acme_service.hpp"

#include "core/error.hpp"
#include "store/acme_records.hpp"

#include <fmt/format.h>

#include <charconv>

namespace certfleet::server {
namespace {

// RFC 8555 requests are small (the largest is a finalize with an RSA 4096 CSR, about 4 KB).
constexpr std::size_t max_acme_body_bytes = std::size_t{64} * 1024;
constexpr std::size_t validation_queue_limit = 256;

acme::Problem malformed(std::string detail) {
    return {.type = acme::ProblemType::malformed, .detail = std::move(detail)};
}

}  // namespace

AcmeService::AcmeService(const AcmeConfig& config,
                         store::Store& store,
                         const authority::Authority& ca,
                         const core::Clock& clock,
                         core::Seconds crl_validity)
    : m_config(config),
      m_store(&store),
      m_ca(&ca),
      m_clock(&clock),
      m_crl_validity(crl_validity),
      m_external_url(config.external_url),
      m_nonces(acme::nonce_key(store),
               &store,
               {.lifetime = config.nonce_lifetime,
                .shared_replay_table = store.dialect() == store::SqlDialect::postgres}),
      m_eab_keys(config.eab_keys_file.empty() ? acme::ExternalAccountKeys()
                                              : acme::ExternalAccountKeys::read(config.eab_keys_file)),
      m_validations(config.validation_workers, validation_queue_limit) {}

void AcmeService::set_default_external_url(std::string url) {
    if (m_external_url.empty()) {
        m_external_url = std::move(url);
    }
}

std::string AcmeService::path(std::string_view tail) const {
    return fmt::format("/acme/{}/{}", m_ca->name(), tail);
}

std::string AcmeService::url(std::string_view tail) const {
    return m_external_url + path(tail);
}

std::optional<std::int64_t> AcmeService::account_id_of(std::string_view kid) const {
    const std::string prefix = url("acct/");
    if (!kid.starts_with(prefix)) {
        return std::nullopt;
    }
    return parse_acme_id(kid.substr(prefix.size()));
}

std::optional<std::int64_t> parse_acme_id(std::string_view digits) {
    std::int64_t id = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), id);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || id <= 0) {
        return std::nullopt;
    }
    return id;
}

acme::Checked<AcmeRequest> AcmeService::authenticate(const RequestContext& context,
                                                     acme::KeyBinding binding) {
    const HttpRequest& request = *context.request;
    // RFC 8555 6.2: "clients must use the Content-Type header field of application/jose+json".
    const auto type = request.find(http::field::content_type);
    if (type == request.end() || !to_std(type->value()).starts_with("application/jose+json")) {
        return malformed("Content-Type: an ACME request must be application/jose+json");
    }
    if (request.body().size() > max_acme_body_bytes) {
        return malformed(fmt::format("request body larger than {} bytes", max_acme_body_bytes));
    }
    auto parsed = acme::parse_jws(request.body());
    if (const acme::Problem* problem = acme::problem_of(parsed)) {
        return *problem;
    }
    AcmeRequest out{.message = std::get<acme::JwsMessage>(std::move(parsed))};
    const acme::JwsMessage& message = out.message;
    if (auto problem =
            acme::check_header(message, {.url = m_external_url + context.path, .binding = binding})) {
        return *std::move(problem);
    }
    if (message.jwk) {
        auto key = acme::AccountKey::from_jwk(*message.jwk);
        if (const acme::Problem* problem = acme::problem_of(key)) {
            return *problem;
        }
        out.key.emplace(std::get<acme::AccountKey>(std::move(key)));
    } else {
        const std::optional<std::int64_t> id = account_id_of(message.kid.value_or(""));
        auto account =
            id ? m_store->read([&](store::Transaction& tx) { return store::find_acme_account(tx, *id); })
               : std::nullopt;
        if (!account || account->authority != m_ca->name()) {
            return acme::Problem{.type = acme::ProblemType::account_does_not_exist,
                                 .detail = fmt::format("kid: no account {} at this server", *message.kid)};
        }
        if (account->status != "valid") {
            return acme::Problem{.type = acme::ProblemType::unauthorized,
                                 .detail = fmt::format("account {} is {}", account->id, account->status)};
        }
        auto key = acme::AccountKey::from_jwk(nlohmann::json::parse(account->jwk));
        if (const acme::Problem* problem = acme::problem_of(key)) {
            throw core::Error(core::ErrorCode::internal,
                              fmt::format("account {}: stored key: {}", account->id, problem->detail));
        }
        out.key.emplace(std::get<acme::AccountKey>(std::move(key)));
        out.account = std::move(account);
    }
    if (auto problem = acme::check_signature(message, *out.key)) {
        return *std::move(problem);
    }
    if (auto problem = m_nonces.redeem(*message.nonce, m_clock->now())) {
        return *std::move(problem);
    }
    return out;
}

void AcmeService::finish(HttpResponse& response) const {
    // RFC 8555 6.5: "The server MUST include a Replay-Nonce header field in every successful response to a
    // POST request and SHOULD provide it in error responses as well." Every answer carries one here, so a
    // client that got badNonce retries with the nonce of that answer.
    response.set("Replay-Nonce", m_nonces.issue(m_clock->now()));
    response.insert(http::field::link, fmt::format("<{}>;rel=\"index\"", url("directory")));
    response.set(http::field::cache_control, "no-store");
}

HttpResponse problem_response(const acme::Problem& problem) {
    HttpResponse response{static_cast<http::status>(problem.http_status()), 11};
    response.set(http::field::content_type, "application/problem+json");
    response.body() = problem.to_json().dump();
    response.prepare_payload();
    return response;
}

HttpResponse acme_json_response(const nlohmann::json& body, http::status status) {
    HttpResponse response{status, 11};
    response.set(http::field::content_type, "application/json");
    response.body() = body.dump();
    response.prepare_payload();
    return response;
}

}  // namespace certfleet::server
