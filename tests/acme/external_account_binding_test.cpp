// The bindings are made by Python's hmac module (tests/data/make_acme_data.py, eab_vectors.json), so the
// verifier is checked against MACs we did not compute ourselves.
#include "acme/external_account_binding.hpp"

#include "fixture_files.hpp"

#include <gtest/gtest.h>

namespace certfleet::acme {
namespace {

const nlohmann::json& vectors() {
    static const nlohmann::json parsed =
        nlohmann::json::parse(testing::read_fixture("acme/eab_vectors.json"));
    return parsed;
}

const ExternalAccountKeys& keys() {
    static const ExternalAccountKeys parsed =
        ExternalAccountKeys::parse(core::Secret(vectors()["keys_file"].get<std::string>()), "eab.keys");
    return parsed;
}

AccountKey key_of(const nlohmann::json& jwk) {
    return std::get<AccountKey>(AccountKey::from_jwk(jwk));
}

// Verifies the vector `name` against its account key (the ES256 one unless the vector names another).
Checked<VerifiedBinding> verify(const std::string& name, const std::string& url = "") {
    for (const auto& c : vectors()["cases"]) {
        if (c["name"] == name) {
            const AccountKey account = key_of(c.value("account_jwk", vectors()["account_jwk"]));
            const nlohmann::json binding =
                c["binding"].is_string() ? nlohmann::json(c["binding"].get<std::string>()) : c["binding"];
            const std::string expected_url = url.empty() ? vectors()["url"].get<std::string>() : url;
            return verify_external_account_binding(
                binding, {.url = expected_url, .account_key = account, .keys = keys()});
        }
    }
    throw std::runtime_error("no vector " + name);
}

TEST(ExternalAccountBinding, EveryThirdPartyVectorGetsItsVerdict) {
    const nlohmann::json& cases = vectors()["cases"];
    ASSERT_GE(cases.size(), 20U);
    for (const auto& c : cases) {
        const std::string name = c["name"];
        SCOPED_TRACE(name);
        const Checked<VerifiedBinding> verdict = verify(name);
        if (c["problem"].is_null()) {
            ASSERT_EQ(problem_of(verdict), nullptr) << problem_of(verdict)->detail;
            EXPECT_EQ(std::get<VerifiedBinding>(verdict).kid, c["kid"].get<std::string>());
        } else {
            ASSERT_NE(problem_of(verdict), nullptr);
            EXPECT_EQ(to_string(problem_of(verdict)->type), c["problem"].get<std::string>())
                << problem_of(verdict)->detail;
            EXPECT_TRUE(problem_of(verdict)->detail.starts_with("externalAccountBinding: "))
                << problem_of(verdict)->detail;
        }
    }
}

TEST(ExternalAccountBinding, AcceptsHs256WithTheKidItNames) {
    const auto verdict = verify("valid_HS256");
    ASSERT_EQ(problem_of(verdict), nullptr) << problem_of(verdict)->detail;
    EXPECT_EQ(std::get<VerifiedBinding>(verdict).kid, "kid-1");
}

TEST(ExternalAccountBinding, AWrongKeyIsUnauthorizedAndNamesTheKidNotTheKey) {
    const auto verdict = verify("wrong_hmac_key");
    ASSERT_NE(problem_of(verdict), nullptr);
    EXPECT_EQ(problem_of(verdict)->type, ProblemType::unauthorized);
    EXPECT_EQ(problem_of(verdict)->detail,
              "externalAccountBinding: the MAC does not verify with the key of \"kid\" \"kid-1\"");
}

TEST(ExternalAccountBinding, TheUrlMustBeTheOuterOne) {
    const auto verdict = verify("valid_HS256", "https://127.0.0.1:8443/acme/main/new-order");
    ASSERT_NE(problem_of(verdict), nullptr);
    EXPECT_EQ(problem_of(verdict)->type, ProblemType::malformed);
    EXPECT_NE(problem_of(verdict)->detail.find("\"url\""), std::string::npos);
    EXPECT_EQ(problem_of(verify("url_of_another_resource"))->type, ProblemType::malformed);
}

TEST(ExternalAccountBinding, AnUnknownKidIsUnauthorized) {
    const auto verdict = verify("kid_unknown");
    ASSERT_NE(problem_of(verdict), nullptr);
    EXPECT_EQ(problem_of(verdict)->type, ProblemType::unauthorized);
    EXPECT_NE(problem_of(verdict)->detail.find("\"kid-9\""), std::string::npos);
}

TEST(ExternalAccountBinding, ThePayloadMustBeTheAccountKey) {
    EXPECT_EQ(problem_of(verify("payload_is_another_key"))->type, ProblemType::unauthorized);
    EXPECT_EQ(problem_of(verify("payload_not_a_jwk"))->type, ProblemType::malformed);
    EXPECT_EQ(problem_of(verify("payload_changed_after_mac"))->type, ProblemType::unauthorized);
}

TEST(ExternalAccountBinding, OnlyMacAlgorithmsAreAccepted) {
    for (const std::string name : {"alg_none", "alg_rs256", "alg_es256"}) {
        SCOPED_TRACE(name);
        const auto verdict = verify(name);
        ASSERT_NE(problem_of(verdict), nullptr);
        EXPECT_EQ(problem_of(verdict)->type, ProblemType::malformed);
        EXPECT_NE(problem_of(verdict)->detail.find("\"alg\""), std::string::npos);
    }
}

TEST(ExternalAccountBinding, ANonceIsRefused) {
    const auto verdict = verify("nonce_present");
    ASSERT_NE(problem_of(verdict), nullptr);
    EXPECT_EQ(problem_of(verdict)->type, ProblemType::malformed);
    EXPECT_NE(problem_of(verdict)->detail.find("\"nonce\""), std::string::npos);
}

TEST(ExternalAccountBinding, NoKeyFileMeansNoKidIsKnown) {
    const AccountKey account = key_of(vectors()["account_jwk"]);
    const ExternalAccountKeys none;
    const auto verdict = verify_external_account_binding(
        vectors()["cases"][0]["binding"],
        {.url = vectors()["url"].get<std::string>(), .account_key = account, .keys = none});
    ASSERT_NE(problem_of(verdict), nullptr);
    EXPECT_EQ(problem_of(verdict)->type, ProblemType::unauthorized);
}

}  // namespace
}  // namespace certfleet::acme
