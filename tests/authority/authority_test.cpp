#include "authority/authority.hpp"

#include "authority/authority_setup.hpp"
#include "core/error.hpp"
#include "pki/crl.hpp"
#include "pki/object_reader.hpp"

#include <gtest/gtest.h>

namespace certfleet::authority {
namespace {

using std::chrono::hours;

const core::TimePoint now{std::chrono::seconds{1'780'000'000}};
const core::Secret passphrase{"correct horse battery staple"};
constexpr int fast_iterations = 1000;  // tests only; the default is 600,000

pki::Csr make_csr(const std::string& subject,
                  std::vector<pki::GeneralName> names,
                  const pki::KeySpec& spec = pki::KeySpec::parse("ec:p256", "test")) {
    const pki::PrivateKey key = pki::PrivateKey::generate(spec);
    return pki::Csr::create({.subject = subject, .subject_alt_names = std::move(names)}, key);
}

class AuthorityTest : public ::testing::Test {
protected:
    void SetUp() override { m_store = store::open_store("sqlite::memory:"); }
    Authority init(bool intermediate = false, std::string policy = "") {
        init_authority(*m_store,
                       {.name = "main",
                        .subject = "CN=Test Root,O=Test",
                        .intermediate = intermediate,
                        .key = pki::KeySpec::parse("ec:p256", "test"),
                        .validity = hours(24 * 3650),
                        .policy_yaml = std::move(policy),
                        .key_iterations = fast_iterations},
                       passphrase,
                       {.name = "test", .at = now});
        return Authority::open(*m_store, "main", passphrase);
    }
    std::unique_ptr<store::Store> m_store;
};

TEST_F(AuthorityTest, InitCreatesACriticalCaRootThatSignsItself) {
    const Authority ca = init();
    ASSERT_EQ(ca.chain().size(), 1U);
    const pki::Certificate& root = ca.issuer();
    EXPECT_TRUE(root.is_self_signed());
    const auto bc = root.basic_constraints();
    ASSERT_TRUE(bc.has_value());
    EXPECT_TRUE(bc->is_ca);
    EXPECT_TRUE(bc->critical);
    const auto ku = root.key_usage();
    EXPECT_NE(std::find(ku.begin(), ku.end(), "keyCertSign"), ku.end());
    EXPECT_NE(root.subject_key_id(), "");
}

TEST_F(AuthorityTest, IntermediateSignsAndTheRootCertifiesIt) {
    const Authority ca = init(true);
    ASSERT_EQ(ca.chain().size(), 2U);
    EXPECT_EQ(ca.issuer().subject_common_name(), "Test Root Intermediate CA");
    EXPECT_TRUE(ca.issuer().is_issued_by(ca.chain()[1]));
    EXPECT_EQ(ca.issuer().basic_constraints()->path_length, 0);
    EXPECT_NE(m_store->find_authority("main")->root_key_pem, "");
}

TEST_F(AuthorityTest, SignsACsrWithServerAuthAndRecordsItBeforeReturning) {
    Authority ca = init(true);
    const auto csr = make_csr("CN=node1.example.com", {{pki::GeneralName::Kind::dns, "*.node1.example.com"}});
    const IssuedCertificate issued =
        ca.sign_csr(csr, {.validity = hours(24 * 365), .requester = "test:alice"}, now);
    const pki::Certificate& cert = issued.certificate;
    EXPECT_TRUE(cert.is_issued_by(ca.issuer()));
    EXPECT_TRUE(cert.matches_host("node1.example.com"));
    EXPECT_TRUE(cert.matches_host("x.node1.example.com"));
    const auto eku = cert.extended_key_usage();
    ASSERT_EQ(eku.size(), 1U);
    EXPECT_EQ(eku[0].long_name, "TLS Web Server Authentication");
    EXPECT_FALSE(cert.is_ca());
    EXPECT_EQ(cert.not_after() - now, hours(24 * 365));
    EXPECT_EQ(cert.authority_key_id(), ca.issuer().subject_key_id());
    EXPECT_GE(cert.serial_hex().size(), 30U);  // 127 random bits

    const auto record = m_store->find_certificate(cert.serial_hex());
    ASSERT_TRUE(record.has_value());
    EXPECT_EQ(record->der, cert.der());
    EXPECT_EQ(record->requester, "test:alice");
    EXPECT_EQ(record->profile, "server");
    EXPECT_EQ(pki::read_certificates(issued.chain_pem, "chain").size(), 1U);  // the intermediate, no root
}

TEST_F(AuthorityTest, RefusesACsrWhoseSignatureDoesNotVerify) {
    Authority ca = init();
    const auto csr = make_csr("CN=node1.example.com", {});
    pki::Bytes der = csr.der();
    der[der.size() - 3] ^= 0x01;  // inside the signature
    const auto tampered = pki::Csr::from_der(der, "tampered");
    try {
        ca.sign_csr(tampered, {}, now);
        FAIL() << "signed a tampered CSR";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
    }
    EXPECT_TRUE(m_store->list_certificates({}).empty());
}

TEST_F(AuthorityTest, PolicyRefusalIsForbiddenNamesTheRuleAndIsAudited) {
    Authority ca = init(false, "allowed_domains: [\"*.example.com\"]\n");
    const auto csr = make_csr("CN=evil.org", {});
    try {
        ca.sign_csr(csr, {}, now);
        FAIL() << "policy did not refuse";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::forbidden);
        EXPECT_NE(std::string(e.what()).find("name_not_allowed: DNS:evil.org"), std::string::npos)
            << e.what();
    }
    EXPECT_TRUE(m_store->list_certificates({}).empty());
    const auto log = m_store->audit_log(1);
    ASSERT_EQ(log.size(), 1U);
    EXPECT_EQ(log[0].outcome.rfind("refused: name_not_allowed", 0), 0U) << log[0].outcome;
}

TEST_F(AuthorityTest, ClampsValidityToTheIssuer) {
    Authority ca = init();
    const auto issued =
        ca.sign_csr(make_csr("CN=a.example.com", {}), {.validity = hours(24 * 365 * 20)}, now);
    EXPECT_LE(issued.certificate.not_after(), ca.issuer().not_after());
}

TEST_F(AuthorityTest, WrongPassphraseIsUnauthenticated) {
    init();
    try {
        Authority::open(*m_store, "main", core::Secret("wrong"));
        FAIL() << "opened with a wrong passphrase";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::unauthenticated);
        EXPECT_EQ(std::string(e.what()).find("wrong\""), std::string::npos);
    }
}

TEST_F(AuthorityTest, RevocationAppearsInTheNextCrlWithItsReason) {
    Authority ca = init();
    const auto a = ca.sign_csr(make_csr("CN=a.example.com", {}), {}, now);
    const auto b = ca.sign_csr(make_csr("CN=b.example.com", {}), {}, now);
    ca.revoke(a.certificate.serial_hex(), RevocationReason::key_compromise, {.name = "test", .at = now});
    EXPECT_THROW(ca.revoke("00ff", RevocationReason::superseded, {.name = "test", .at = now}), core::Error);
    const pki::Crl first = ca.generate_crl(hours(24 * 7), {.name = "test", .at = now});
    EXPECT_EQ(first.crl_number(), "1");
    EXPECT_EQ(first.next_update(), now + hours(24 * 7));
    const auto revoked = first.revoked();
    ASSERT_EQ(revoked.size(), 1U);
    EXPECT_EQ(revoked[0].serial_hex, a.certificate.serial_hex());
    EXPECT_EQ(revoked[0].reason, "keyCompromise");
    EXPECT_EQ(ca.generate_crl(hours(24), {.name = "test", .at = now}).crl_number(), "2");
    EXPECT_EQ(m_store->latest_crl("main")->number, 2);
    static_cast<void>(b);
}

TEST_F(AuthorityTest, ImportRefusesANonCaAndAMismatchedKey) {
    Authority ca = init();
    const pki::PrivateKey leaf_key = pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "test"));
    const auto leaf = ca.sign_csr(pki::Csr::create({.subject = "CN=leaf.example.com"}, leaf_key), {}, now);
    try {
        import_authority(
            *m_store,
            {.name = "leaf", .certificate_pem = leaf.certificate.pem(), .key_pem = leaf_key.to_pkcs8_pem()},
            passphrase,
            {.name = "test", .at = now});
        FAIL() << "imported a leaf as a CA";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_NE(std::string(e.what()).find("not a CA"), std::string::npos);
    }
    try {
        import_authority(
            *m_store,
            {.name = "other", .certificate_pem = ca.issuer().pem(), .key_pem = leaf_key.to_pkcs8_pem()},
            passphrase,
            {.name = "test", .at = now});
        FAIL() << "imported a mismatched key";
    } catch (const core::Error& e) {
        EXPECT_NE(std::string(e.what()).find("does not match"), std::string::npos);
    }
    EXPECT_FALSE(m_store->find_authority("other").has_value());
}

}  // namespace
}  // namespace certfleet::authority
