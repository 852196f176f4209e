#include "authority/renewal.hpp"

#include "authority/authority.hpp"
#include "authority/authority_setup.hpp"
#include "authority/ledger.hpp"
#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::authority {
namespace {

using std::chrono::hours;

const core::TimePoint now{std::chrono::seconds{1'780'000'000}};
const core::Secret passphrase{"correct horse battery staple"};

class RenewalTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_store = store::open_store("sqlite::memory:");
        init_authority(*m_store,
                       {.name = "main",
                        .subject = "CN=Test Root,O=Test",
                        .key = pki::KeySpec::parse("ec:p256", "test"),
                        .validity = hours(24 * 3650),
                        .key_iterations = 1000},
                       passphrase,
                       {.name = "test", .at = now});
    }
    // Issues CN=node1.example.com with two more names and returns its ledger record.
    store::CertificateRecord issue_original(const std::string& key_type) {
        const Authority ca = Authority::open(*m_store, "main", passphrase);
        const pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse(key_type, "test"));
        const pki::Csr csr = pki::Csr::create({.subject = "CN=node1.example.com,O=Ops",
                                               .subject_alt_names = pki::parse_general_names(
                                                   "DNS:node1.internal.example.com,IP:10.0.0.7", "test")},
                                              key);
        const IssuedCertificate issued =
            ca.issue({.csr = &csr, .profile = "client", .requester = "test"}, now);
        return *Ledger(*m_store).find(issued.certificate.serial_hex());
    }
    std::unique_ptr<store::Store> m_store;
};

TEST_F(RenewalTest, KeepsSubjectNamesAndProfileAndRecordsTheLink) {
    const store::CertificateRecord old = issue_original("ec:p256");
    const RenewalBasis basis = renewal_basis(old);
    const pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "test"));
    const pki::Csr csr = pki::Csr::create(basis.names, key);
    const Authority ca = Authority::open(*m_store, "main", passphrase);
    const IssuedCertificate renewed = ca.issue(renewal_request(basis, csr, "cli:test"), now + hours(24));

    const pki::Certificate before = pki::Certificate::from_der(old.der, "old");
    EXPECT_EQ(renewed.certificate.subject(), before.subject());
    EXPECT_EQ(renewed.certificate.subject_alt_names(), before.subject_alt_names());
    EXPECT_NE(renewed.certificate.serial_hex(), before.serial_hex());
    const auto record = Ledger(*m_store).find(renewed.certificate.serial_hex());
    ASSERT_TRUE(record);
    EXPECT_EQ(record->renews_serial, old.serial_hex);
    EXPECT_EQ(record->profile, "client");
    EXPECT_EQ(record->requester, "cli:test");
}

TEST_F(RenewalTest, NeverWidensTheNames) {
    const store::CertificateRecord old = issue_original("ec:p256");
    RenewalBasis basis = renewal_basis(old);
    const auto widened = pki::parse_general_names("DNS:evil.example.com", "test");
    const pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "test"));
    pki::CsrRequest asked = basis.names;
    asked.subject_alt_names.push_back(widened.front());
    const pki::Csr csr = pki::Csr::create(asked, key);
    const Authority ca = Authority::open(*m_store, "main", passphrase);
    try {
        (void)ca.issue(renewal_request(basis, csr, "node:node1"), now);
        FAIL() << "a renewal widened its names";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::forbidden);
        EXPECT_NE(std::string(e.what()).find("renewal of " + old.serial_hex +
                                             " does not cover DNS:evil.example.com"),
                  std::string::npos)
            << e.what();
    }
}

TEST_F(RenewalTest, RefusesARevokedCertificate) {
    const store::CertificateRecord old = issue_original("ec:p256");
    (void)Ledger(*m_store).revoke(
        "main", old.serial_hex, RevocationReason::key_compromise, {.name = "t", .at = now});
    const auto revoked = Ledger(*m_store).find(old.serial_hex);
    try {
        (void)renewal_basis(*revoked);
        FAIL() << "a revoked certificate was renewed";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
        EXPECT_NE(std::string(e.what()).find("keyCompromise"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace certfleet::authority
