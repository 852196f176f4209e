// The JWS vectors are made by python3-cryptography (tests/data/make_acme_data.py), so the parser and the
// verifier are checked against signatures and thumbprints we did not compute ourselves.
#include "acme/jws.hpp"

#include "acme/base64url.hpp"
#include "fixture_files.hpp"

#include <gtest/gtest.h>

namespace certfleet::acme {
namespace {

// A reference to the one parsed copy: the loops below iterate `vectors()["cases"]`, which would dangle if
// vectors() returned a temporary (the range-for keeps the temporary alive only as far as operator[]).
const nlohmann::json& vectors() {
    static const nlohmann::json parsed =
        nlohmann::json::parse(testing::read_fixture("acme/jws_vectors.json"));
    return parsed;
}

KeyBinding binding_of(const nlohmann::json& c) {
    return c["binding"] == "kid" ? KeyBinding::kid : KeyBinding::jwk;
}

// Runs one request through the three stages a route applies and returns the first problem, or nullopt.
std::optional<Problem> judge(const nlohmann::json& c, std::string& stage) {
    stage = "parse";
    const Checked<JwsMessage> parsed = parse_jws(c["body"].get<std::string>());
    if (const Problem* p = problem_of(parsed)) {
        return *p;
    }
    const JwsMessage& message = std::get<JwsMessage>(parsed);
    stage = "header";
    if (auto p = check_header(message, {.url = c["url"], .binding = binding_of(c)})) {
        return p;
    }
    stage = "signature";
    const Checked<AccountKey> key = AccountKey::from_jwk(c["key_jwk"]);
    if (const Problem* p = problem_of(key)) {
        return *p;
    }
    return check_signature(message, std::get<AccountKey>(key));
}

TEST(Jws, EveryThirdPartyVectorGetsItsVerdictAtItsStage) {
    const nlohmann::json cases = vectors()["cases"];
    ASSERT_GE(cases.size(), 20U);
    for (const auto& c : cases) {
        SCOPED_TRACE(c["name"].get<std::string>());
        std::string stage;
        const std::optional<Problem> problem = judge(c, stage);
        if (c["stage"] == "ok") {
            EXPECT_FALSE(problem.has_value()) << (problem ? problem->detail : "");
        } else {
            ASSERT_TRUE(problem.has_value());
            EXPECT_EQ(to_string(problem->type), c["problem"].get<std::string>()) << problem->detail;
            EXPECT_EQ(stage, c["stage"].get<std::string>()) << problem->detail;
        }
    }
}

TEST(Jws, ReadsTheHeaderAndPayloadOfAnAcceptedRequest) {
    for (const auto& c : vectors()["cases"]) {
        if (c["stage"] != "ok") {
            continue;
        }
        SCOPED_TRACE(c["name"].get<std::string>());
        const JwsMessage m = std::get<JwsMessage>(parse_jws(c["body"].get<std::string>()));
        EXPECT_EQ(m.url, c["url"]);
        EXPECT_EQ(m.nonce, "bm9uY2Utbm90LWNoZWNrZWQtaGVyZQ");
        EXPECT_EQ(m.post_as_get, c["post_as_get"].get<bool>());
        if (m.post_as_get) {
            EXPECT_EQ(m.kid, "https://127.0.0.1:8443/acme/main/acct/1");
            EXPECT_TRUE(m.payload.empty());
        } else {
            ASSERT_TRUE(m.jwk.has_value());
            EXPECT_EQ(*m.jwk, c["key_jwk"]);
            const auto payload = std::get<nlohmann::json>(m.payload_object());
            EXPECT_EQ(payload["contact"][0], "mailto:ops@example.test");
        }
    }
}

TEST(Jws, BadSignatureAlgorithmListsTheAlgorithmsWeAccept) {
    for (const auto& c : vectors()["cases"]) {
        if (c["name"] == "alg_none") {
            const Problem p = std::get<Problem>(parse_jws(c["body"].get<std::string>()));
            const nlohmann::json doc = p.to_json();
            EXPECT_EQ(doc["type"], "urn:ietf:params:acme:error:badSignatureAlgorithm");
            EXPECT_EQ(doc["status"], 400);
            EXPECT_EQ(doc["algorithms"], nlohmann::json({"ES256", "ES384", "RS256"}));
        }
    }
}

TEST(Jwk, ThumbprintsMatchThoseComputedByPython) {
    for (const auto& v : vectors()["jwks"]) {
        SCOPED_TRACE(v["name"].get<std::string>());
        const Checked<AccountKey> key = AccountKey::from_jwk(v["jwk"]);
        if (v["problem"].is_null()) {
            ASSERT_EQ(problem_of(key), nullptr) << problem_of(key)->detail;
            EXPECT_EQ(std::get<AccountKey>(key).thumbprint(), v["thumbprint"].get<std::string>());
        } else {
            ASSERT_NE(problem_of(key), nullptr);
            EXPECT_EQ(to_string(problem_of(key)->type), v["problem"].get<std::string>());
        }
    }
}

// RFC 7638 section 3.1, the worked example.
TEST(Jwk, ThumbprintOfTheRfc7638Example) {
    const nlohmann::json jwk = {{"kty", "RSA"},
                                {"n",
                                 "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFx"
                                 "uhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3"
                                 "oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
                                 "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdA"
                                 "ZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-"
                                 "bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-"
                                 "kEgU8awapJzKnqDKgw"},
                                {"e", "AQAB"},
                                {"alg", "RS256"},
                                {"kid", "2011-04-29"}};
    const Checked<AccountKey> key = AccountKey::from_jwk(jwk);
    ASSERT_EQ(problem_of(key), nullptr);
    EXPECT_EQ(std::get<AccountKey>(key).thumbprint(), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    EXPECT_EQ(key_authorization("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA", std::get<AccountKey>(key)),
              "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
}

TEST(Jwk, TheStoredCanonicalFormReadsBackToTheSameThumbprint) {
    for (const auto& v : vectors()["jwks"]) {
        if (!v["problem"].is_null()) {
            continue;
        }
        const AccountKey key = std::get<AccountKey>(AccountKey::from_jwk(v["jwk"]));
        const AccountKey again =
            std::get<AccountKey>(AccountKey::from_jwk(nlohmann::json::parse(key.canonical_jwk())));
        EXPECT_EQ(again.thumbprint(), key.thumbprint());
    }
}

TEST(Jws, ANonceInAnInnerKeyChangeJwsIsRefused) {
    for (const auto& c : vectors()["cases"]) {
        if (c["name"] == "new_account_ES256") {
            const JwsMessage m = std::get<JwsMessage>(parse_jws(c["body"].get<std::string>()));
            const auto p =
                check_header(m, {.url = c["url"], .binding = KeyBinding::jwk, .nonce = NonceRule::forbidden});
            ASSERT_TRUE(p.has_value());
            EXPECT_EQ(p->type, ProblemType::malformed);
            EXPECT_FALSE(check_header(m, {.url = c["url"], .binding = KeyBinding::jwk_or_kid}).has_value());
        }
    }
}

}  // namespace
}  // namespace certfleet::acme
