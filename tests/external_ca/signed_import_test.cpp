#include "external_ca/signed_import.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"

#include <gtest/gtest.h>

namespace certfleet::external_ca {
namespace {

using testing::read_fixture;

// The fixture server certificate was issued for server.key and server.csr, with one SAN more than the
// CSR asked for (*.apps.example.com).
RequestedHost node1(std::string_view key = "pki/server.key") {
    return {"node1.example.com",
            "O=certfleet tests,CN=node1.example.com",
            {"DNS:node1.example.com", "DNS:node1", "DNS:*.apps.example.com", "IP:10.0.0.1"},
            pki::PrivateKey::from_pem(read_fixture(key), key, nullptr),
            pki::Csr::from_pem(read_fixture("pki/server.csr"), "server.csr")};
}

std::vector<pki::Certificate> customer_chain() {
    auto chain = pki::read_certificates(read_fixture("pki/intermediate.pem"), "intermediate.pem");
    chain.push_back(pki::Certificate::from_pem(read_fixture("pki/root.pem"), "root.pem"));
    return chain;
}

std::vector<pki::SourcedObject> signed_file(std::string_view name) {
    std::vector<pki::SourcedObject> out;
    out.push_back({pki::Certificate::from_pem(read_fixture(name), name), std::string(name)});
    return out;
}

ImportExpectations now() {
    return {.at = core::SystemClock().now(), .min_remaining = std::chrono::hours(24 * 30), .issuer = ""};
}

std::vector<ImportCheck> failed_checks(const HostVerdict& verdict) {
    std::vector<ImportCheck> out;
    for (const auto& failure : verdict.failures) {
        out.push_back(failure.check);
    }
    return out;
}

std::vector<RequestedHost> one(RequestedHost host) {
    std::vector<RequestedHost> out;
    out.push_back(std::move(host));
    return out;
}

TEST(JudgeSignedCertificates, PassesACertificateThatIsEverythingAskedFor) {
    const auto verdict =
        judge_signed_certificates(one(node1()), signed_file("pki/server.pem"), customer_chain(), now());
    ASSERT_EQ(verdict.hosts.size(), 1U);
    EXPECT_TRUE(verdict.hosts[0].passed()) << verdict.hosts[0].failures.front().message;
    EXPECT_TRUE(verdict.all_passed());
}

TEST(JudgeSignedCertificates, NamesEachFailedCheck) {
    struct Case {
        std::string_view certificate;
        std::string_view key;
        std::vector<ImportCheck> expected;
    };
    const std::vector<Case> cases = {
        {"pki/client_only.pem", "pki/server.key", {ImportCheck::names, ImportCheck::eku}},
        {"pki/expired.pem", "pki/server.key", {ImportCheck::validity}},
        {"pki/not_yet_valid.pem", "pki/server.key", {ImportCheck::validity}},
        {"pki/server.pem", "pki/other.key", {ImportCheck::key}},
    };
    for (const Case& c : cases) {
        const auto verdict =
            judge_signed_certificates(one(node1(c.key)), signed_file(c.certificate), customer_chain(), now());
        EXPECT_EQ(failed_checks(verdict.hosts.at(0)), c.expected) << c.certificate << " with " << c.key;
        EXPECT_FALSE(verdict.all_passed());
    }
}

TEST(JudgeSignedCertificates, ReportsAnIssuerThatIsNotTheCustomersCa) {
    auto expectations = now();
    expectations.issuer = "CN=Someone Else";
    const auto verdict = judge_signed_certificates(
        one(node1()), signed_file("pki/server.pem"), customer_chain(), expectations);
    EXPECT_EQ(failed_checks(verdict.hosts.at(0)), std::vector<ImportCheck>{ImportCheck::issuer});
}

TEST(JudgeSignedCertificates, ReportsAChainThatDoesNotReachTheCustomerRoot) {
    // ed25519.pem is issued by the same intermediate, so give a chain of an unrelated root instead.
    std::vector<pki::Certificate> other_root;
    other_root.push_back(pki::Certificate::from_pem(read_fixture("pki/root.pem"), "root.pem"));
    const auto verdict =
        judge_signed_certificates(one(node1()), signed_file("pki/server.pem"), std::move(other_root), now());
    const auto checks = failed_checks(verdict.hosts.at(0));
    EXPECT_NE(std::find(checks.begin(), checks.end(), ImportCheck::chain), checks.end());
}

TEST(JudgeSignedCertificates, ReportsHostsWithoutACertificateAndStrayCertificates) {
    auto hosts = one(node1());
    const auto verdict =
        judge_signed_certificates(hosts, signed_file("pki/ed25519.pem"), customer_chain(), now());
    EXPECT_EQ(failed_checks(verdict.hosts.at(0)), std::vector<ImportCheck>{ImportCheck::certificate});
    EXPECT_EQ(verdict.unmatched, std::vector<std::string>{"pki/ed25519.pem"});
}

// Cloudera node certificates serve and connect: --require-eku serverAuth,clientAuth.
TEST(JudgeSignedCertificates, RequiresEveryExtendedKeyUsageAskedFor) {
    auto both = now();
    both.required_eku = {"serverAuth", "clientAuth"};
    EXPECT_TRUE(judge_signed_certificates(one(node1()), signed_file("pki/server.pem"), customer_chain(), both)
                    .all_passed());
    const auto verdict =
        judge_signed_certificates(one(node1()), signed_file("pki/client_only.pem"), customer_chain(), both);
    const auto& failures = verdict.hosts.at(0).failures;
    const auto eku = std::find_if(
        failures.begin(), failures.end(), [](const FailedCheck& f) { return f.check == ImportCheck::eku; });
    ASSERT_NE(eku, failures.end());
    EXPECT_NE(eku->message.find("lacks serverAuth"), std::string::npos) << eku->message;
    EXPECT_EQ(eku->message.find("clientAuth"), std::string::npos) << eku->message;
}

// The customer CA rewrote the subject (it added O=): refused by default, accepted by --subject-match cn,
// and a different commonName is still refused.
TEST(JudgeSignedCertificates, MatchesOnlyTheCommonNameWhenAsked) {
    const auto key = pki::PrivateKey::from_pem(read_fixture("pki/server.key"), "server.key", nullptr);
    const auto host_asking = [&](const std::string& subject) {
        RequestedHost host = node1();
        host.subject = subject;
        host.csr = pki::Csr::create({.subject = subject}, key);
        return one(std::move(host));
    };
    auto cn_only = now();
    cn_only.subject_match = SubjectMatch::cn;
    const auto exact = judge_signed_certificates(
        host_asking("CN=node1.example.com"), signed_file("pki/server.pem"), customer_chain(), now());
    EXPECT_EQ(failed_checks(exact.hosts.at(0)), std::vector<ImportCheck>{ImportCheck::subject});
    EXPECT_TRUE(
        judge_signed_certificates(
            host_asking("CN=node1.example.com"), signed_file("pki/server.pem"), customer_chain(), cn_only)
            .all_passed());
    const auto other = judge_signed_certificates(
        host_asking("CN=node2.example.com"), signed_file("pki/server.pem"), customer_chain(), cn_only);
    EXPECT_EQ(failed_checks(other.hosts.at(0)), std::vector<ImportCheck>{ImportCheck::subject});
    EXPECT_EQ(parse_subject_match("cn", "--subject-match"), SubjectMatch::cn);
    EXPECT_THROW(parse_subject_match("dn", "--subject-match"), core::Error);
}

TEST(JudgeSignedCertificates, RefusesACaChainWithoutItsRoot) {
    EXPECT_THROW(judge_signed_certificates(one(node1()),
                                           signed_file("pki/server.pem"),
                                           pki::read_certificates(read_fixture("pki/intermediate.pem"), "i"),
                                           now()),
                 core::Error);
}

}  // namespace
}  // namespace certfleet::external_ca
