// newAccount with external account binding (RFC 8555 7.3.4) through the routes: required by the
// configuration, verified, recorded, and one kid binding one account. The verifier's own cases are in
// tests/acme/external_account_binding_test.cpp.
#include "acme_fixture.hpp"
#include "server/acme_account_handler.hpp"
#include "temp_dir.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sys/stat.h>

namespace certfleet::server {
namespace {

using certfleet::testing::AcmeRoutes;

const std::string mac_key(32, '\x2a');

// Returns an externalAccountBinding for client key `key`'s JWK, MACed (HS256) with `mac`.
nlohmann::json binding(const std::string& kid, const std::string& mac, std::size_t key = 0) {
    const std::string url = "https://ca.example.test:8443/acme/main/new-account";
    const std::string protected_b64 =
        acme::base64url_encode(nlohmann::json{{"alg", "HS256"}, {"kid", kid}, {"url", url}}.dump());
    const std::string payload_b64 =
        acme::base64url_encode(certfleet::testing::rsa_jwk(certfleet::testing::client_key(key)).dump());
    const std::string input = protected_b64 + "." + payload_b64;
    std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
    std::size_t size = 0;
    EXPECT_NE(EVP_Q_mac(nullptr,
                        "HMAC",
                        nullptr,
                        "SHA256",
                        nullptr,
                        mac.data(),
                        mac.size(),
                        reinterpret_cast<const unsigned char*>(input.data()),
                        input.size(),
                        out.data(),
                        out.size(),
                        &size),
              nullptr);
    return {
        {"protected", protected_b64},
        {"payload", payload_b64},
        {"signature", acme::base64url_encode(std::string(reinterpret_cast<const char*>(out.data()), size))}};
}

std::string new_account_payload(const nlohmann::json& eab) {
    return nlohmann::json{{"termsOfServiceAgreed", true}, {"externalAccountBinding", eab}}.dump();
}

class AcmeRoutesWithBinding : public AcmeRoutes {
protected:
    AcmeRoutesWithBinding() {
        m_keys_file = m_dir.write("eab.keys", "ops " + acme::base64url_encode(mac_key) + "\n");
        ::chmod(m_keys_file.c_str(), 0600);
    }

    [[nodiscard]] AcmeConfig acme_config() const override {
        return {.external_account_required = true, .eab_keys_file = m_keys_file};
    }

    certfleet::testing::TempDir m_dir;
    std::string m_keys_file;
};

TEST_F(AcmeRoutesWithBinding, TheDirectorySaysABindingIsRequired) {
    const auto answer = call(http::verb::get, "/acme/main/directory");
    EXPECT_EQ(answer.body()["meta"]["externalAccountRequired"], true);
}

TEST_F(AcmeRoutesWithBinding, ANewAccountWithoutABindingIsExternalAccountRequired) {
    const auto answer = post("/acme/main/new-account", R"({"termsOfServiceAgreed": true})");
    EXPECT_EQ(answer.status(), 403);
    EXPECT_EQ(answer.problem(), "externalAccountRequired");
}

TEST_F(AcmeRoutesWithBinding, AVerifiedBindingCreatesTheAccountAndIsReturned) {
    const nlohmann::json eab = binding("ops", mac_key);
    const auto answer = post("/acme/main/new-account", new_account_payload(eab));
    ASSERT_EQ(answer.status(), 201) << answer.response.body();
    EXPECT_EQ(answer.body()["externalAccountBinding"], eab);
    const auto stored = m_store->read(
        [&](store::Transaction& tx) { return store::find_acme_account_by_eab_kid(tx, "main", "ops"); });
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(answer.header("Location"), fmt::format("{}/acme/main/acct/{}", base, stored->id));
    // The same key again finds its account, binding or not (RFC 8555 7.3.1).
    EXPECT_EQ(post("/acme/main/new-account", R"({"onlyReturnExisting": true})").status(), 200);
}

TEST_F(AcmeRoutesWithBinding, AWrongMacKeyIsUnauthorized) {
    const auto answer =
        post("/acme/main/new-account", new_account_payload(binding("ops", std::string(32, '\x2b'))));
    EXPECT_EQ(answer.status(), 403);
    EXPECT_EQ(answer.problem(), "unauthorized");
}

TEST_F(AcmeRoutesWithBinding, AKidBindsOneAccountOnly) {
    ASSERT_EQ(post("/acme/main/new-account", new_account_payload(binding("ops", mac_key, 0)), "", 0).status(),
              201);
    const auto second =
        post("/acme/main/new-account", new_account_payload(binding("ops", mac_key, 1)), "", 1);
    EXPECT_EQ(second.status(), 403);
    EXPECT_EQ(second.problem(), "unauthorized");
    EXPECT_NE(second.body()["detail"].get<std::string>().find("already bound to account"), std::string::npos);
}

TEST_F(AcmeRoutesWithBinding, TheBindingMustCarryTheRequestsKey) {
    // Key 1's JWK in the binding, key 0 signing the request.
    const auto answer =
        post("/acme/main/new-account", new_account_payload(binding("ops", mac_key, 1)), "", 0);
    EXPECT_EQ(answer.problem(), "unauthorized");
}

TEST_F(AcmeRoutes, WithoutTheSettingABindingIsOptionalAndTheDirectorySaysSo) {
    EXPECT_EQ(call(http::verb::get, "/acme/main/directory").body()["meta"]["externalAccountRequired"], false);
    EXPECT_EQ(post("/acme/main/new-account", R"({"termsOfServiceAgreed": true})").status(), 201);
    // A binding sent to a server with no keys names a kid it never gave out.
    EXPECT_EQ(
        post("/acme/main/new-account", new_account_payload(binding("ops", mac_key, 1)), "", 1).problem(),
        "unauthorized");
}

}  // namespace
}  // namespace certfleet::server
