#pragma once
// What the ACME route tests share: an authority in an in-memory store (policy: *.example.test), the routes
// of server/acme_routes.hpp in a Router, and an ACME client that signs its requests (RS256, RFC 8555 6.2)
// with OpenSSL and calls the routes as the connection would, without a socket.

#include "acme/base64url.hpp"
#include "authority/authority_setup.hpp"
#include "pki/csr.hpp"
#include "pki/openssl_handles.hpp"
#include "pki/private_key.hpp"
#include "server/acme_routes.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace certfleet::testing {

class FixedClock final : public core::Clock {
public:
    [[nodiscard]] core::TimePoint now() const override { return m_now; }
    void advance(core::Seconds by) { m_now += by; }

private:
    core::TimePoint m_now{std::chrono::seconds{1'780'000'000}};
};

/// Client key `which` (0-2): RSA 2048 (RS256), each made once per test process when first used (key
/// generation is the slow part of these tests).
inline const pki::PrivateKey& client_key(std::size_t which) {
    static std::array<std::optional<pki::PrivateKey>, 3> keys;
    std::optional<pki::PrivateKey>& key = keys.at(which);
    if (!key) {
        key.emplace(pki::PrivateKey::generate(pki::KeySpec::parse("rsa:2048", "test")));
    }
    return *key;
}

/// Returns the JWK of an RSA key (RFC 7518 6.3.1: n and e, big-endian, no leading zeros).
inline nlohmann::json rsa_jwk(const pki::PrivateKey& key) {
    const auto member = [&](const char* name) {
        BIGNUM* raw = nullptr;
        EXPECT_EQ(EVP_PKEY_get_bn_param(key.get(), name, &raw), 1);
        const pki::BignumPtr bn(raw);
        std::string bytes(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
        BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
        return acme::base64url_encode(bytes);
    };
    return {{"kty", "RSA"}, {"n", member(OSSL_PKEY_PARAM_RSA_N)}, {"e", member(OSSL_PKEY_PARAM_RSA_E)}};
}

/// Returns a flattened JWS over `payload` ("" = POST-as-GET) signed with `key` (RS256).
inline std::string sign_jws(const pki::PrivateKey& key,
                            const nlohmann::json& header,
                            const std::string& payload) {
    const std::string input = acme::base64url_encode(header.dump()) + "." + acme::base64url_encode(payload);
    const pki::EvpMdCtxPtr context(EVP_MD_CTX_new());
    std::size_t size = 0;
    EXPECT_EQ(EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key.get()), 1);
    EXPECT_EQ(EVP_DigestSign(context.get(),
                             nullptr,
                             &size,
                             reinterpret_cast<const unsigned char*>(input.data()),
                             input.size()),
              1);
    std::string signature(size, '\0');
    EXPECT_EQ(EVP_DigestSign(context.get(),
                             reinterpret_cast<unsigned char*>(signature.data()),
                             &size,
                             reinterpret_cast<const unsigned char*>(input.data()),
                             input.size()),
              1);
    signature.resize(size);
    const std::size_t dot = input.find('.');
    return nlohmann::json{{"protected", input.substr(0, dot)},
                          {"payload", input.substr(dot + 1)},
                          {"signature", acme::base64url_encode(signature)}}
        .dump();
}

/// An answer as the client sees it.
struct AcmeAnswer {
    server::HttpResponse response;
    [[nodiscard]] int status() const { return static_cast<int>(response.result_int()); }
    [[nodiscard]] nlohmann::json body() const { return nlohmann::json::parse(response.body()); }
    [[nodiscard]] std::string header(std::string_view name) const {
        const auto it = response.find(server::to_beast(name));
        return it == response.end() ? "" : std::string(server::to_std(it->value()));
    }
    /// Returns the ACME error type of a problem answer ("badNonce"), "" otherwise.
    [[nodiscard]] std::string problem() const {
        const std::string type = body().value("type", std::string());
        return type.substr(type.rfind(':') + 1);
    }
};

class AcmeRoutes : public ::testing::Test {
protected:
    static constexpr const char* base = "https://ca.example.test:8443";

    void SetUp() override {
        m_store = store::open_store("sqlite::memory:");
        const core::Secret passphrase{"correct horse battery staple"};
        authority::init_authority(*m_store,
                                  {.name = "main",
                                   .subject = "CN=ACME Test Root",
                                   .key = pki::KeySpec::parse("ec:p256", "test"),
                                   .validity = core::Seconds(3650L * 86400),
                                   .policy_yaml = "allowed_domains: ['*.example.test']\n",
                                   .key_iterations = 1000},
                                  passphrase,
                                  {.name = "test", .at = m_clock.now()});
        m_authority.emplace(authority::Authority::open(*m_store, "main", passphrase));
        m_acme = std::make_unique<server::AcmeService>(
            acme_config(), *m_store, *m_authority, m_clock, core::Seconds(86400));
        m_acme->set_default_external_url(base);
        server::add_acme_routes(m_router, *m_acme);
    }

    /// The `acme:` settings the routes are served with.
    [[nodiscard]] virtual server::AcmeConfig acme_config() const { return {}; }

    /// Calls the route for `method` and `target` ("/acme/main/new-order") with `body`.
    AcmeAnswer call(server::http::verb method,
                    const std::string& target,
                    std::string body = "",
                    std::string content_type = "application/jose+json") {
        server::HttpRequest request{method, target, 11};
        request.set(server::http::field::content_type, content_type);
        request.body() = std::move(body);
        const server::RouteMatch match = m_router.find(method, target);
        EXPECT_NE(match.route, nullptr) << target;
        if (match.route == nullptr) {
            return {};
        }
        const server::RequestContext context{
            .request = &request, .path = target, .parameter = match.parameter, .request_id = "test"};
        AcmeAnswer answer{match.route->handler(context)};
        m_nonce = answer.header("Replay-Nonce");
        return answer;
    }

    /// Returns a fresh nonce (HEAD new-nonce).
    std::string nonce() {
        return call(server::http::verb::head, "/acme/main/new-nonce").header("Replay-Nonce");
    }

    /// POSTs `payload` to `target` signed by `key`, with its JWK (no `kid`) or as account `kid`.
    AcmeAnswer post(const std::string& target,
                    const std::string& payload,
                    const std::string& kid = "",
                    std::size_t key = 0) {
        nlohmann::json header = {
            {"alg", "RS256"}, {"nonce", m_nonce.empty() ? nonce() : m_nonce}, {"url", base + target}};
        if (kid.empty()) {
            header["jwk"] = rsa_jwk(client_key(key));
        } else {
            header["kid"] = kid;
        }
        return call(server::http::verb::post, target, sign_jws(client_key(key), header, payload));
    }

    /// Registers client key `key`; returns its account URL.
    std::string new_account(std::size_t key = 0) {
        const AcmeAnswer answer =
            post("/acme/main/new-account", R"({"termsOfServiceAgreed": true})", "", key);
        EXPECT_EQ(answer.status(), 201) << answer.response.body();
        return answer.header("Location");
    }

    /// Returns the path of an external URL of this server.
    static std::string path_of(const std::string& url) { return url.substr(std::string(base).size()); }

    FixedClock m_clock;
    std::unique_ptr<store::Store> m_store;
    std::optional<authority::Authority> m_authority;
    std::unique_ptr<server::AcmeService> m_acme;
    server::Router m_router;
    std::string m_nonce;
};

}  // namespace certfleet::testing
