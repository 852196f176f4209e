#include "puppet_ca/certificate_request.hpp"

#include "core/error.hpp"
#include "pki/private_key.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::puppet_ca {
namespace {

using ::testing::HasSubstr;

pki::Csr csr_for(const std::string& subject, std::vector<pki::GeneralName> names = {}) {
    const pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "key"));
    return pki::Csr::create({.subject = subject, .subject_alt_names = std::move(names), .purposes = {}}, key);
}

std::string refusal(const pki::Csr& csr, std::string_view certname, CsrRules rules = {}) {
    try {
        check_agent_csr(csr, certname, rules);
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        return e.what();
    }
    return "accepted";
}

TEST(PuppetCertname, OnlyWhatPuppetAccepts) {
    for (const char* good : {"agent1.example.test", "db-01", "web_2", "a"}) {
        EXPECT_NO_THROW(require_valid_certname(good)) << good;
    }
    for (const char* bad : {"", "Agent1", "a/b", "a b", "ca\xC3\xA9"}) {
        EXPECT_THROW(require_valid_certname(bad), core::Error) << bad;
    }
}

TEST(PuppetAgentCsr, TheCommonNameMustBeTheCertnameItWasSentTo) {
    EXPECT_EQ(refusal(csr_for("CN=agent1.example.test"), "agent1.example.test"), "accepted");
    EXPECT_EQ(refusal(csr_for("CN=agent2.example.test"), "agent1.example.test"),
              "Instance name \"agent2.example.test\" does not match requested key \"agent1.example.test\"");
}

TEST(PuppetAgentCsr, AltNamesAreRefusedUnlessAllowed) {
    const pki::Csr with_alt_names = csr_for(
        "CN=agent1.example.test",
        {{pki::GeneralName::Kind::dns, "agent1.example.test"}, {pki::GeneralName::Kind::dns, "puppet"}});
    EXPECT_THAT(refusal(with_alt_names, "agent1.example.test"),
                HasSubstr("contains subject alternative names (DNS:puppet), which are disallowed"));
    EXPECT_EQ(refusal(with_alt_names, "agent1.example.test", {.allow_subject_alt_names = true}), "accepted");
    // Its own name as a DNS name is what puppet agent itself adds: always allowed.
    EXPECT_EQ(
        refusal(csr_for("CN=agent1.example.test", {{pki::GeneralName::Kind::dns, "agent1.example.test"}}),
                "agent1.example.test"),
        "accepted");
}

}  // namespace
}  // namespace certfleet::puppet_ca
