#pragma once

#include "acme/external_account_keys.hpp"
#include "acme/jwk.hpp"
#include "acme/jws.hpp"
#include "acme/nonce.hpp"
#include "acme/problem.hpp"
#include "authority/authority.hpp"
#include "core/clock.hpp"
#include "server/request_context.hpp"
#include "server/server_config.hpp"
#include "server/worker_pool.hpp"
#include "store/acme_records.hpp"
#include "store/store.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace certfleet::server {

/// An ACME POST that passed every check of RFC 8555 6.2-6.5: its JWS, the key that signed it, and for a
/// "kid" request the account (valid) it names. The nonce is redeemed.
struct AcmeRequest {
    acme::JwsMessage message;
    std::optional<acme::AccountKey> key;              ///< always set once authenticated
    std::optional<store::AcmeAccountRecord> account;  ///< set for "kid" requests
};

/// What the ACME routes of one served authority share: the configuration, store, authority, clock,
/// the nonce book, the request pipeline (JWS, key, signature, nonce) and the URLs of resources. The routes
/// live in acme_*_handler.cpp and are registered by add_acme_routes (acme_routes.hpp).
class AcmeService {
public:
    /// Serves `ca` from `store` (all must outlive it). Reads or creates the nonce key in the store, and
    /// reads config.eab_keys_file when set. Throws Error(unavailable) if the store cannot be reached,
    /// Error(invalid_input) naming the keys file if it cannot be read or is readable by others.
    AcmeService(const AcmeConfig& config,
                store::Store& store,
                const authority::Authority& ca,
                const core::Clock& clock,
                core::Seconds crl_validity);

    /// Sets the URL clients reach the server at ("https://127.0.0.1:8443") when the config has no
    /// external_url; call before serving.
    void set_default_external_url(std::string url);

    /// Returns "/acme/<authority>/" + `tail`, a route pattern or path.
    [[nodiscard]] std::string path(std::string_view tail) const;
    /// Returns the external URL of `tail` (external_url + path(tail)).
    [[nodiscard]] std::string url(std::string_view tail) const;
    /// Returns the account id at the end of a "kid" (the account URL), or nullopt if it is not ours.
    [[nodiscard]] std::optional<std::int64_t> account_id_of(std::string_view kid) const;

    /// Runs the checks every ACME POST gets (docs/acme.md, "Authenticate every POST"): the Content-Type,
    /// the JWS and its "url" against the external URL of the request, the key (from "jwk", or the valid
    /// account a "kid" names), the signature and the nonce. Returns the problem that refused it otherwise.
    /// Throws Error(unavailable) if the store cannot be reached.
    acme::Checked<AcmeRequest> authenticate(const RequestContext& context, acme::KeyBinding binding);

    /// Adds what every ACME answer carries: a fresh Replay-Nonce and Link to the directory (rel="index").
    void finish(HttpResponse& response) const;

    /// Runs `validation` on the validation workers. Returns false when their queue is full.
    [[nodiscard]] bool start_validation(std::function<void()> validation) {
        return m_validations.try_submit(std::move(validation));
    }

    [[nodiscard]] const AcmeConfig& config() const noexcept { return m_config; }
    /// The external account binding keys of config.eab_keys_file (none when it is not set).
    [[nodiscard]] const acme::ExternalAccountKeys& eab_keys() const noexcept { return m_eab_keys; }
    [[nodiscard]] store::Store& store() const noexcept { return *m_store; }
    [[nodiscard]] const authority::Authority& ca() const noexcept { return *m_ca; }
    [[nodiscard]] core::TimePoint now() const { return m_clock->now(); }
    [[nodiscard]] core::Seconds crl_validity() const noexcept { return m_crl_validity; }

private:
    AcmeConfig m_config;
    store::Store* m_store;
    const authority::Authority* m_ca;
    const core::Clock* m_clock;
    core::Seconds m_crl_validity;
    std::string m_external_url;
    acme::NonceBook m_nonces;
    acme::ExternalAccountKeys m_eab_keys;
    // http-01 fetches wait on the network (up to the timeout each): their own threads, so that a slow
    // client never holds the request workers that answer everyone's polls.
    WorkerPool m_validations;
};

/// Returns the positive decimal id in `text` (a route's {id} segment), or nullopt.
std::optional<std::int64_t> parse_acme_id(std::string_view digits);

/// Returns the answer to a refused ACME request: `problem` as application/problem+json with its status.
HttpResponse problem_response(const acme::Problem& problem);

/// Returns a JSON answer with `status` ("application/json").
HttpResponse acme_json_response(const nlohmann::json& body, http::status status = http::status::ok);

}  // namespace certfleet::server
