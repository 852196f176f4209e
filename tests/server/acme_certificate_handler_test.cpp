#include "server/acme_certificate_handler.hpp"

#include "acme_fixture.hpp"
#include "pki/certificate.hpp"
#include "pki/object_reader.hpp"
#include "store/acme_records.hpp"

#include <gtest/gtest.h>

namespace certfleet::server {
namespace {

class AcmeCertificates : public certfleet::testing::AcmeRoutes {
protected:
    // An order for `names` whose challenges are valid (as a validation would leave them): ready.
    nlohmann::json ready_order(const std::string& account, const std::vector<std::string>& names) {
        nlohmann::json identifiers = nlohmann::json::array();
        for (const std::string& name : names) {
            identifiers.push_back({{"type", "dns"}, {"value", name}});
        }
        const auto created =
            post("/acme/main/new-order", nlohmann::json{{"identifiers", identifiers}}.dump(), account);
        const nlohmann::json body = created.body();
        for (const auto& url : body["authorizations"]) {
            const auto authorization = post(path_of(url), "", account).body();
            const std::string challenge = authorization["challenges"][0]["url"];
            const std::int64_t id = std::stoll(challenge.substr(challenge.rfind('/') + 1));
            m_store->commit([&](store::Transaction& tx) {
                store::set_acme_challenge_status(tx, id, "pending", "valid", m_clock.now());
            });
        }
        const auto order = post(path_of(created.header("Location")), "", account).body();
        EXPECT_EQ(order["status"], "ready");
        return order;
    }

    std::string csr_payload(const std::vector<std::string>& names, const pki::PrivateKey* key = nullptr) {
        std::vector<pki::GeneralName> sans;
        for (const std::string& name : names) {
            sans.push_back({pki::GeneralName::Kind::dns, name});
        }
        const pki::Csr csr = pki::Csr::create({.subject = "CN=" + names.front(), .subject_alt_names = sans},
                                              key != nullptr ? *key : m_key);
        const pki::Bytes der = csr.der();
        return nlohmann::json{{"csr", acme::base64url_encode(der)}}.dump();
    }

    pki::PrivateKey m_key = pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "test"));
};

TEST_F(AcmeCertificates, FinalizeIssuesForTheOrderAndTheCertificateComesWithItsChain) {
    const std::string account = new_account();
    const auto order = ready_order(account, {"a.example.test", "b.example.test"});
    const auto finalized =
        post(path_of(order["finalize"]), csr_payload({"b.example.test", "a.example.test"}), account);
    ASSERT_EQ(finalized.status(), 200) << finalized.response.body();
    EXPECT_EQ(finalized.body()["status"], "valid");
    EXPECT_EQ(finalized.header("Location"), "https://ca.example.test:8443/acme/main/order/1");
    const auto download = post(path_of(finalized.body()["certificate"]), "", account);
    EXPECT_EQ(download.header("Content-Type"), "application/pem-certificate-chain");
    const auto chain = pki::read_certificates(download.response.body(), "download");
    ASSERT_EQ(chain.size(), 2U);  // the leaf and the intermediate, not the root
    EXPECT_TRUE(chain[0].public_key().matches(m_key.public_key()));
    EXPECT_EQ(chain[1].subject(), m_authority->issuer().subject());
    EXPECT_EQ(post(path_of(order["finalize"]), csr_payload({"a.example.test"}), account).problem(),
              "orderNotReady");  // valid now
}

TEST_F(AcmeCertificates, ACsrWithOtherNamesIsBadCsrAndTheOrderInvalid) {
    const std::string account = new_account();
    const auto order = ready_order(account, {"a.example.test"});
    const auto refused =
        post(path_of(order["finalize"]), csr_payload({"a.example.test", "c.example.test"}), account);
    EXPECT_EQ(refused.problem(), "badCSR");
    EXPECT_NE(refused.body()["detail"].get<std::string>().find("c.example.test"), std::string::npos);
    EXPECT_EQ(post("/acme/main/order/1", "", account).body()["status"], "invalid");
    EXPECT_EQ(post(path_of(order["finalize"]), R"({"csr": "bm90IGEgY3Ny"})", account).problem(),
              "orderNotReady");
}

TEST_F(AcmeCertificates, AnotherAccountCannotDownloadOrRevokeButTheCertificateKeyCan) {
    const std::string account = new_account(0);
    const std::string other = new_account(1);
    const auto order = ready_order(account, {"a.example.test"});
    const std::string certificate = post(path_of(order["finalize"]),
                                         csr_payload({"a.example.test"}, &certfleet::testing::client_key(2)),
                                         account)
                                        .body()["certificate"];
    EXPECT_EQ(post(path_of(certificate), "", other, 1).problem(), "unauthorized");
    const std::string pem = post(path_of(certificate), "", account).response.body();
    const auto leaf = pki::read_certificates(pem, "download").front().der();
    const std::string revoke =
        nlohmann::json{{"certificate", acme::base64url_encode(leaf)}, {"reason", 1}}.dump();
    EXPECT_EQ(post("/acme/main/revoke-cert", revoke, other, 1).problem(), "unauthorized");
    // RFC 8555 7.6: signed with the certificate's own key ("jwk", no account).
    EXPECT_EQ(post("/acme/main/revoke-cert", revoke, "", 2).status(), 200);
    EXPECT_EQ(post("/acme/main/revoke-cert", revoke, account).problem(), "alreadyRevoked");
    const auto record =
        m_store->find_certificate(pki::read_certificates(pem, "download").front().serial_hex());
    ASSERT_TRUE(record);
    EXPECT_EQ(record->status, store::CertificateStatus::revoked);
}

}  // namespace
}  // namespace certfleet::server
