#include "acme/finalization.hpp"

#include "acme/base64url.hpp"
#include "authority/authority_setup.hpp"
#include "store/certificate_ledger.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>

namespace certfleet::acme {
namespace {

const core::TimePoint now{std::chrono::seconds{1'780'000'000}};
const core::Secret passphrase{"correct horse battery staple"};

// The JWK of an EC P-256 key, built from OpenSSL's own view of the point.
nlohmann::json jwk_of(const pki::PrivateKey& key) {
    const auto coordinate = [&](const char* name) {
        BIGNUM* raw = nullptr;
        EXPECT_EQ(EVP_PKEY_get_bn_param(key.get(), name, &raw), 1);
        const pki::BignumPtr bn(raw);
        std::string bytes(32, '\0');
        BN_bn2binpad(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()), 32);
        return base64url_encode(bytes);
    };
    return {{"kty", "EC"},
            {"crv", "P-256"},
            {"x", coordinate(OSSL_PKEY_PARAM_EC_PUB_X)},
            {"y", coordinate(OSSL_PKEY_PARAM_EC_PUB_Y)}};
}

class Finalization : public ::testing::Test {
protected:
    void SetUp() override {
        m_store = store::open_store("sqlite::memory:");
        authority::init_authority(*m_store,
                                  {.name = "main",
                                   .subject = "CN=ACME Test Root",
                                   .key = pki::KeySpec::parse("ec:p256", "test"),
                                   .validity = core::Seconds(3650L * 86400),
                                   .policy_yaml = "allowed_domains: ['*.example.test']\n",
                                   .key_iterations = 1000},
                                  passphrase,
                                  {.name = "test", .at = now});
        m_authority.emplace(authority::Authority::open(*m_store, "main", passphrase));
        for (std::int64_t* id : {&m_account, &m_other_account}) {
            store::AcmeAccountRecord account{
                .authority = "main",
                .thumbprint = "t" + std::to_string(reinterpret_cast<std::uintptr_t>(id)),
                .jwk = "{}",
                .created_at = now};
            m_store->commit([&](store::Transaction& tx) { store::insert_acme_account(tx, account); });
            *id = account.id;
        }
    }

    store::AcmeOrderRecord order(std::vector<std::string> names) const {
        return {.id = 7,
                .account_id = m_account,
                .authority = "main",
                .status = "processing",
                .identifiers = std::move(names),
                .expires = now + core::Seconds(3600),
                .created_at = now};
    }

    pki::Csr csr(const pki::PrivateKey& key, std::vector<std::string> names) const {
        std::vector<pki::GeneralName> sans;
        for (auto& n : names) {
            sans.push_back({pki::GeneralName::Kind::dns, n});
        }
        return pki::Csr::create({.subject = "CN=" + names.front(), .subject_alt_names = sans}, key);
    }

    std::unique_ptr<store::Store> m_store;
    std::optional<authority::Authority> m_authority;
    std::int64_t m_account = 0;
    std::int64_t m_other_account = 0;
    pki::PrivateKey m_key = pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "test"));
};

TEST_F(Finalization, IssuesForTheOrdersNamesAndRecordsTheAccountAsRequester) {
    const auto request_csr = csr(m_key, {"a.example.test", "b.example.test"});
    const auto issued =
        finalize_order(*m_authority, order({"a.example.test", "b.example.test"}), request_csr, now);
    ASSERT_EQ(problem_of(issued), nullptr) << problem_of(issued)->detail;
    const auto& cert = std::get<authority::IssuedCertificate>(issued).certificate;
    const auto record = m_store->find_certificate(cert.serial_hex());
    ASSERT_TRUE(record.has_value());
    EXPECT_EQ(record->requester, "acme:acct/" + std::to_string(m_account));
    EXPECT_EQ(record->subject_alt_names,
              (std::vector<std::string>{"DNS:a.example.test", "DNS:b.example.test"}));
}

TEST_F(Finalization, TheIssueRequestAuthorisesExactlyTheOrdersIdentifiers) {
    const auto request_csr = csr(m_key, {"a.example.test"});
    const authority::IssueRequest request = issue_request_for(order({"a.example.test"}), request_csr);
    EXPECT_EQ(request.requester, "acme:acct/" + std::to_string(m_account));
    ASSERT_TRUE(request.authorisation.names.has_value());
    EXPECT_EQ(*request.authorisation.names,
              (std::vector<pki::GeneralName>{{pki::GeneralName::Kind::dns, "a.example.test"}}));
    EXPECT_EQ(request.authorisation.basis, "acme order 7");
}

TEST_F(Finalization, ACsrForOtherNamesIsBadCsrAndNothingIsIssued) {
    const auto issued =
        finalize_order(*m_authority, order({"a.example.test"}), csr(m_key, {"b.example.test"}), now);
    ASSERT_NE(problem_of(issued), nullptr);
    EXPECT_EQ(problem_of(issued)->type, ProblemType::bad_csr);
    EXPECT_TRUE(m_store->list_certificates({.authority = "main"}).empty());
}

TEST_F(Finalization, APolicyRefusalIsARejectedIdentifierNamingTheRule) {
    const auto issued =
        finalize_order(*m_authority, order({"evil.example.org"}), csr(m_key, {"evil.example.org"}), now);
    ASSERT_NE(problem_of(issued), nullptr);
    EXPECT_EQ(problem_of(issued)->type, ProblemType::rejected_identifier);
    EXPECT_NE(problem_of(issued)->detail.find("allowed_domains"), std::string::npos)
        << problem_of(issued)->detail;
}

class Revocation : public Finalization {
protected:
    void SetUp() override {
        Finalization::SetUp();
        const auto request_csr = csr(m_key, {"a.example.test"});
        auto issued = finalize_order(*m_authority, order({"a.example.test"}), request_csr, now);
        m_der = std::get<authority::IssuedCertificate>(issued).certificate.der();
        m_serial = std::get<authority::IssuedCertificate>(issued).certificate.serial_hex();
    }
    nlohmann::json payload(int reason = 1) const {
        return {{"certificate", base64url_encode(m_der)}, {"reason", reason}};
    }
    pki::Bytes m_der;
    std::string m_serial;
};

TEST_F(Revocation, TheOrderingAccountRevokesAndTheCrlListsTheSerial) {
    const auto r = revoke_certificate(
        *m_authority, *m_store, payload(), {.account_id = m_account}, now, core::Seconds(86400));
    ASSERT_EQ(problem_of(r), nullptr) << problem_of(r)->detail;
    EXPECT_EQ(std::get<store::CertificateRecord>(r).revocation_reason, "keyCompromise");
    const auto crl = m_store->latest_crl(m_store->find_certificate(m_serial)->issuer_id);
    ASSERT_TRUE(crl.has_value());
    const auto again = revoke_certificate(
        *m_authority, *m_store, payload(), {.account_id = m_account}, now, core::Seconds(86400));
    ASSERT_NE(problem_of(again), nullptr);
    EXPECT_EQ(problem_of(again)->type, ProblemType::already_revoked);
}

TEST_F(Revocation, AnotherAccountIsUnauthorized) {
    const auto r = revoke_certificate(
        *m_authority, *m_store, payload(), {.account_id = m_other_account}, now, core::Seconds(86400));
    ASSERT_NE(problem_of(r), nullptr);
    EXPECT_EQ(problem_of(r)->type, ProblemType::unauthorized);
    EXPECT_EQ(m_store->find_certificate(m_serial)->status, store::CertificateStatus::valid);
}

TEST_F(Revocation, TheCertificatesOwnKeyRevokesAndAnotherKeyDoesNot) {
    const AccountKey other = std::get<AccountKey>(
        AccountKey::from_jwk(jwk_of(pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "test")))));
    const auto refused = revoke_certificate(
        *m_authority, *m_store, payload(), {.certificate_key = &other}, now, core::Seconds(86400));
    ASSERT_NE(problem_of(refused), nullptr);
    EXPECT_EQ(problem_of(refused)->type, ProblemType::unauthorized);
    const AccountKey own = std::get<AccountKey>(AccountKey::from_jwk(jwk_of(m_key)));
    const auto r = revoke_certificate(
        *m_authority, *m_store, payload(), {.certificate_key = &own}, now, core::Seconds(86400));
    ASSERT_EQ(problem_of(r), nullptr) << problem_of(r)->detail;
    EXPECT_EQ(m_store->find_certificate(m_serial)->status, store::CertificateStatus::revoked);
}

TEST_F(Revocation, ReasonSevenAndGarbageAreRefused) {
    const auto seven = revoke_certificate(
        *m_authority, *m_store, payload(7), {.account_id = m_account}, now, core::Seconds(86400));
    EXPECT_EQ(problem_of(seven)->type, ProblemType::bad_revocation_reason);
    const auto garbage = revoke_certificate(*m_authority,
                                            *m_store,
                                            {{"certificate", "AAAA"}},
                                            {.account_id = m_account},
                                            now,
                                            core::Seconds(86400));
    EXPECT_EQ(problem_of(garbage)->type, ProblemType::malformed);
}

}  // namespace
}  // namespace certfleet::acme
