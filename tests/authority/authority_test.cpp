#include "authority/authority.hpp"

#include "authority/authority_setup.hpp"
#include "core/error.hpp"
#include "pki/crl.hpp"
#include "pki/object_reader.hpp"
#include "store/authority_records.hpp"

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

// Issues `csr` with the request's other fields; the requester defaults to "test".
IssuedCertificate issue(const Authority& ca, const pki::Csr& csr, IssueRequest request, core::TimePoint at) {
    request.csr = &csr;
    if (request.requester.empty()) {
        request.requester = "test";
    }
    return ca.issue(request, at);
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
        issue(ca, csr, {.validity = hours(24 * 365), .requester = "test:alice"}, now);
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
        issue(ca, tampered, {}, now);
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
        issue(ca, csr, {}, now);
        FAIL() << "policy did not refuse";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::forbidden);
        EXPECT_NE(std::string(e.what()).find("name_not_allowed: DNS:evil.org"), std::string::npos)
            << e.what();
    }
    EXPECT_TRUE(m_store->list_certificates({}).empty());
    const auto log = m_store->audit_log({.limit = 1});
    ASSERT_EQ(log.size(), 1U);
    EXPECT_EQ(log[0].outcome.rfind("refused: name_not_allowed", 0), 0U) << log[0].outcome;
}

TEST_F(AuthorityTest, ClampsValidityToTheIssuer) {
    Authority ca = init();
    const auto issued = issue(ca, make_csr("CN=a.example.com", {}), {.validity = hours(24 * 365 * 20)}, now);
    EXPECT_LE(issued.certificate.not_after(), ca.issuer().not_after());
}

// Regression: nanosecond time points end in April 2262; `ca init --validity 500y` made a root that
// expired in 1942 and `--validity 240y` a certificate "valid until 1682".
TEST_F(AuthorityTest, DatesPastTwentyTwoSixtyTwoStayInTheFuture) {
    init_authority(*m_store,
                   {.name = "long",
                    .subject = "CN=Long Root",
                    .key = pki::KeySpec::parse("ec:p256", "test"),
                    .validity = core::parse_duration("500y", "validity"),
                    .key_iterations = fast_iterations},
                   passphrase,
                   {.name = "test", .at = now});
    Authority ca = Authority::open(*m_store, "long", passphrase);
    EXPECT_EQ(core::format_time(ca.issuer().not_after()).substr(0, 4), "2526");
    EXPECT_TRUE(ca.issuer().is_valid_at(now));
    const auto issued = issue(
        ca, make_csr("CN=a.example.com", {}), {.validity = core::parse_duration("240y", "validity")}, now);
    EXPECT_EQ(core::format_time(issued.certificate.not_after()).substr(0, 4), "2266");
    EXPECT_TRUE(issued.certificate.is_valid_at(now));
    const auto stored = m_store->find_certificate(issued.certificate.serial_hex());
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->not_after, issued.certificate.not_after());
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
    const auto a = issue(ca, make_csr("CN=a.example.com", {}), {}, now);
    const auto b = issue(ca, make_csr("CN=b.example.com", {}), {}, now);
    ca.revoke(
        a.certificate.serial_hex(), RevocationReason::key_compromise, {.name = "test", .at = now}, hours(24));
    EXPECT_THROW(ca.revoke("00ff", RevocationReason::superseded, {.name = "test", .at = now}, hours(24)),
                 core::Error);
    // Revoking signed the issuer's CRL at once: clients need not wait for the next scheduled run.
    const auto at_once = m_store->latest_crl(m_store->find_authority("main")->active_issuer().id);
    ASSERT_TRUE(at_once.has_value());
    EXPECT_EQ(at_once->number, 1);
    EXPECT_EQ(pki::Crl::from_der(at_once->der, "crl").revoked().size(), 1U);
    const pki::Crl first = ca.generate_crl(hours(24 * 7), {.name = "test", .at = now});
    EXPECT_EQ(first.crl_number(), "2");
    EXPECT_EQ(first.next_update(), now + hours(24 * 7));
    const auto revoked = first.revoked();
    ASSERT_EQ(revoked.size(), 1U);
    EXPECT_EQ(revoked[0].serial_hex, a.certificate.serial_hex());
    EXPECT_EQ(revoked[0].reason, "keyCompromise");
    EXPECT_EQ(ca.generate_crl(hours(24), {.name = "test", .at = now}).crl_number(), "3");
    EXPECT_EQ(m_store->latest_crl(m_store->find_authority("main")->active_issuer().id)->number, 3);
    static_cast<void>(b);
}

TEST_F(AuthorityTest, AuthorisationRefusalNamesEveryRuleAndIsAudited) {
    Authority ca = init();
    const auto csr = make_csr("CN=node2.example.com", {{pki::GeneralName::Kind::dns, "node2.example.com"}});
    const Authorisation token{
        .basis = "token for node1",
        .names = std::vector<pki::GeneralName>{{pki::GeneralName::Kind::dns, "node1.example.com"}},
        .max_validity = hours(24)};
    try {
        issue(ca, csr, {.validity = hours(48), .requester = "node:node1", .authorisation = token}, now);
        FAIL() << "issued names the token does not cover";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::forbidden);
        const std::string what = e.what();
        EXPECT_NE(what.find("not_authorised: token for node1 does not cover DNS:node2.example.com"),
                  std::string::npos)
            << what;
        EXPECT_NE(what.find("validity_not_authorised: token for node1 allows at most 1d, 2d asked"),
                  std::string::npos)
            << what;
    }
    const auto log = m_store->audit_log({.limit = 1, .authority = "main"});
    ASSERT_EQ(log.size(), 1U);
    EXPECT_EQ(log[0].actor, "node:node1");
    EXPECT_EQ(log[0].outcome.rfind("refused: not_authorised", 0), 0U) << log[0].outcome;
    EXPECT_TRUE(m_store->list_certificates({.authority = "main"}).empty());
    // Within the grant it is issued.
    const auto ok = make_csr("CN=node1.example.com", {});
    EXPECT_NO_THROW(
        issue(ca, ok, {.validity = hours(24), .requester = "node:node1", .authorisation = token}, now));
}

TEST_F(AuthorityTest, AValidityPastTheIssuerIsCutAndSaidOrRefusedWhenExact) {
    Authority ca = init();
    const auto csr = make_csr("CN=a.example.com", {});
    const auto cut = issue(ca, csr, {.validity = hours(24 * 365 * 20)}, now);
    EXPECT_TRUE(cut.validity_cut);
    EXPECT_EQ(cut.certificate.not_after(), ca.issuer().not_after());
    EXPECT_FALSE(issue(ca, csr, {.validity = hours(24)}, now).validity_cut);
    try {
        issue(ca, csr, {.validity = hours(24 * 365 * 20), .exact_validity = true}, now);
        FAIL() << "exact validity was cut";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_NE(std::string(e.what()).find("ends after the issuing CA"), std::string::npos) << e.what();
    }
}

TEST_F(AuthorityTest, TheRequestsOwnUnitCommitsWithTheCertificateOrNeither) {
    Authority ca = init();
    const auto csr = make_csr("CN=a.example.com", {});
    try {
        issue(ca,
              csr,
              {.also =
                   [](store::Transaction&) {
                       throw core::Error(core::ErrorCode::conflict, "token already used");
                   }},
              now);
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
    }
    EXPECT_TRUE(m_store->list_certificates({.authority = "main"}).empty());
}

// Each issuer generation signs its own CRL and writes its own CRL URL into what it issues.
TEST_F(AuthorityTest, IssuerGenerationsKeepTheirCertificatesCrlsAndUrls) {
    const std::string profiles =
        "crl_distribution_points: [\"http://ca.example/crl/{authority}/{generation}.crl\"]\n";
    init_authority(*m_store,
                   {.name = "main",
                    .subject = "CN=Gen1",
                    .key = pki::KeySpec::parse("ec:p256", "test"),
                    .validity = hours(24 * 3650),
                    .profiles_yaml = profiles,
                    .key_iterations = fast_iterations},
                   passphrase,
                   {.name = "test", .at = now});
    const auto a =
        issue(Authority::open(*m_store, "main", passphrase), make_csr("CN=a.example.com", {}), {}, now);
    // A second generation (a new key), as a rotation would add it; the first keeps signing its CRLs.
    init_authority(*m_store,
                   {.name = "donor",
                    .subject = "CN=Gen2",
                    .key = pki::KeySpec::parse("ec:p256", "test"),
                    .validity = hours(24 * 3650),
                    .key_iterations = fast_iterations},
                   passphrase,
                   {.name = "test", .at = now});
    store::IssuerRecord second = m_store->find_authority("donor")->active_issuer();
    second.authority = "main";
    second.generation = 2;
    const std::int64_t first_id = m_store->find_authority("main")->active_issuer().id;
    m_store->commit([&](store::Transaction& tx) {
        second.id = store::insert_issuer(tx, second);
        store::set_issuer_state(tx, first_id, store::IssuerState::retiring);
    });
    const Authority ca = Authority::open(*m_store, "main", passphrase);
    EXPECT_EQ(ca.issuer().subject_common_name(), "Gen2");
    const auto b = issue(ca, make_csr("CN=b.example.com", {}), {}, now);
    EXPECT_EQ(b.issuer_id, second.id);
    EXPECT_TRUE(b.certificate.is_issued_by(ca.issuer()));
    EXPECT_NE(b.certificate.pem(), "");
    ca.revoke(
        a.certificate.serial_hex(), RevocationReason::superseded, {.name = "test", .at = now}, hours(24));
    ca.generate_crl(hours(24), {.name = "test", .at = now});
    const auto old_crl = pki::Crl::from_der(m_store->latest_crl(first_id)->der, "gen1");
    const auto new_crl = pki::Crl::from_der(m_store->latest_crl(second.id)->der, "gen2");
    EXPECT_EQ(old_crl.issuer(), "CN=Gen1");
    ASSERT_EQ(old_crl.revoked().size(), 1U);
    EXPECT_EQ(old_crl.revoked()[0].serial_hex, a.certificate.serial_hex());
    EXPECT_EQ(new_crl.issuer(), "CN=Gen2");
    EXPECT_TRUE(new_crl.revoked().empty());
    EXPECT_EQ(m_store->find_certificate(a.certificate.serial_hex())->issuer_id, first_id);
    const std::string der_b = pki::to_string(b.certificate.der());
    EXPECT_NE(der_b.find("http://ca.example/crl/main/2.crl"), std::string::npos);
    EXPECT_NE(pki::to_string(a.certificate.der()).find("http://ca.example/crl/main/1.crl"),
              std::string::npos);
}

TEST_F(AuthorityTest, ImportRefusesANonCaAndAMismatchedKey) {
    Authority ca = init();
    const pki::PrivateKey leaf_key = pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "test"));
    const auto leaf = issue(ca, pki::Csr::create({.subject = "CN=leaf.example.com"}, leaf_key), {}, now);
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
