#include "puppet_ca/certificate_status.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace certfleet::puppet_ca {
namespace {

core::TimePoint at(std::int64_t seconds) {
    return core::TimePoint{std::chrono::seconds{seconds}};
}

CertificateStatus signed_status() {
    return {.name = "agent1.example.test",
            .state = CertificateState::signed_,
            .der = {0x30, 0x03, 0x02, 0x01, 0x07},
            .subject_alt_names = {"DNS:agent1.example.test", "IP:10.0.0.1"},
            // 128 bits: more than a JSON library's 64-bit integers hold
            .serial_hex = "f1e2d3c4b5a697887766554433221100",
            .not_before = at(1'780'000'000),
            .not_after = at(1'811'536'000)};
}

TEST(PuppetCertificateStatus, SignedIsPuppetserversObjectWithTheWholeSerialAsAnInteger) {
    const std::string text = status_json(signed_status());
    EXPECT_NE(text.find("\"serial_number\":321521701247558003770554266015257202944"), std::string::npos)
        << text;
    const nlohmann::json s = nlohmann::json::parse(text);
    EXPECT_EQ(s["name"], "agent1.example.test");
    EXPECT_EQ(s["state"], "signed");
    EXPECT_EQ(s["fingerprint"], s["fingerprints"]["SHA256"]);
    EXPECT_EQ(s["fingerprints"]["default"], s["fingerprints"]["SHA256"]);
    EXPECT_EQ(s["fingerprints"]["SHA1"].get<std::string>().size(), 20U * 3 - 1);
    EXPECT_EQ(s["fingerprints"]["SHA512"].get<std::string>().size(), 64U * 3 - 1);
    EXPECT_EQ(s["dns_alt_names"], nlohmann::json::array({"DNS:agent1.example.test"}));
    EXPECT_EQ(s["subject_alt_names"], nlohmann::json::array({"DNS:agent1.example.test", "IP:10.0.0.1"}));
    EXPECT_EQ(s["authorization_extensions"], nlohmann::json::object());
    EXPECT_EQ(s["not_before"], "2026-05-28T20:26:40UTC");
}

TEST(PuppetCertificateStatus, ARequestHasNoSerialOrDates) {
    CertificateStatus status = signed_status();
    status.state = CertificateState::requested;
    status.serial_hex.clear();
    status.not_before.reset();
    status.not_after.reset();
    const nlohmann::json s = nlohmann::json::parse(statuses_json({status, status}));
    ASSERT_EQ(s.size(), 2U);
    EXPECT_EQ(s[0]["state"], "requested");
    EXPECT_FALSE(s[0].contains("serial_number"));
    EXPECT_FALSE(s[0].contains("not_after"));
    EXPECT_EQ(statuses_json({}), "[]");
}

TEST(PuppetCertificateStatus, DesiredStateIsSignedOrRevokedInPuppetserversWords) {
    EXPECT_EQ(parse_desired_state(R"({"desired_state":"signed"})", "a"), CertificateState::signed_);
    EXPECT_EQ(parse_desired_state(R"({"desired_state": "revoked", "x": 1})", "a"), CertificateState::revoked);
    const auto refusal = [](std::string_view body) {
        try {
            parse_desired_state(body, "agent1");
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    EXPECT_EQ(refusal(R"({"desired_state":"gone"})"),
              "State gone invalid; Must specify desired state of 'signed' or 'revoked' for host agent1.");
    EXPECT_EQ(refusal("{}"), "Missing required parameter \"desired_state\"");
    EXPECT_NE(refusal("not json").find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace certfleet::puppet_ca
