#include "pki/csr.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"
#include "pki/subject_alt_names.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace certfleet::pki {
namespace {

using certfleet::testing::read_fixture;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const PrivateKey& p256_key() {
    static const PrivateKey key = PrivateKey::generate(KeySpec::parse("ec:p256", "f"));
    return key;
}

TEST(Csr, CreatesASignedRequestWithSubjectSansAndExtendedKeyUsage) {
    const Csr csr = Csr::create({.subject = "CN=node1.example.com,O=Acme",
                                 .subject_alt_names = parse_general_names(
                                     "DNS:node1.example.com,DNS:*.apps.example.com,IP:10.0.0.1", "--san"),
                                 .purposes = parse_key_purposes("server,client", "--eku")},
                                p256_key());
    EXPECT_EQ(csr.subject(), "CN=node1.example.com,O=Acme");
    EXPECT_EQ(csr.subject_common_name(), "node1.example.com");
    EXPECT_THAT(csr.subject_alt_names(),
                ElementsAre(GeneralName{GeneralName::Kind::dns, "node1.example.com"},
                            GeneralName{GeneralName::Kind::dns, "*.apps.example.com"},
                            GeneralName{GeneralName::Kind::ip, "10.0.0.1"}));
    EXPECT_THAT(csr.requested_extended_key_usage(), ElementsAre("serverAuth", "clientAuth"));
    EXPECT_TRUE(csr.has_valid_signature());
    EXPECT_TRUE(csr.public_key().matches(p256_key().public_key()));
    EXPECT_EQ(csr.signature_algorithm(), "ecdsa-with-SHA256");
}

TEST(Csr, SignsWithEveryKeyType) {
    for (const char* spec : {"rsa:2048", "ec:p384", "ed25519"}) {
        const PrivateKey key = PrivateKey::generate(KeySpec::parse(spec, "f"));
        const Csr csr = Csr::create({.subject = "/O=Acme/CN=node1"}, key);
        EXPECT_TRUE(csr.has_valid_signature()) << spec;
        EXPECT_EQ(csr.subject(), "CN=node1,O=Acme") << spec;
    }
}

TEST(Csr, RoundTripsThroughPemAndDer) {
    const Csr csr = Csr::create({.subject = "CN=node1"}, p256_key());
    const Csr from_pem = Csr::from_pem(csr.pem(), "node1.csr");
    EXPECT_EQ(from_pem.der(), csr.der());
    EXPECT_TRUE(Csr::from_der(csr.der(), "node1.der").has_valid_signature());
    EXPECT_TRUE(from_pem.requested_extended_key_usage().empty());
    EXPECT_TRUE(from_pem.subject_alt_names().empty());
}

TEST(Csr, ReadsTheOpensslFixture) {
    const Csr csr = Csr::from_pem(read_fixture("pki/server.csr"), "server.csr");
    EXPECT_EQ(csr.subject(), "CN=node1.example.com,O=certfleet tests");
    EXPECT_THAT(csr.subject_alt_names(),
                ElementsAre(GeneralName{GeneralName::Kind::dns, "node1.example.com"},
                            GeneralName{GeneralName::Kind::dns, "node1"},
                            GeneralName{GeneralName::Kind::ip, "10.0.0.1"}));
    EXPECT_TRUE(csr.has_valid_signature());
}

TEST(Csr, DetectsATamperedRequest) {
    const Csr csr = Csr::create({.subject = "CN=node1.example.com"}, p256_key());
    Bytes der = csr.der();
    // Change one letter of the subject: "node1" -> "node2". The signature no longer covers it.
    const std::string text(der.begin(), der.end());
    const auto at = text.find("node1");
    ASSERT_NE(at, std::string::npos);
    der[at + 4] = '2';
    const Csr tampered = Csr::from_der(der, "tampered.csr");
    EXPECT_EQ(tampered.subject_common_name(), "node2.example.com");
    EXPECT_FALSE(tampered.has_valid_signature());
}

TEST(Csr, RefusesAnEmptyOrMalformedSubject) {
    for (const char* bad : {"", "   ", "node1", "CN=", "XX=node1", "/CN=node1/O"}) {
        try {
            Csr::create({.subject = bad}, p256_key());
            ADD_FAILURE() << "accepted subject \"" << bad << "\"";
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
            EXPECT_THAT(e.what(), HasSubstr("--subject"));
        }
    }
}

TEST(Csr, RefusesABadSubjectAltName) {
    for (const char* bad : {"DNS:bad name",
                            "DNS:",
                            "IP:10.0.0.300",
                            "email:nobody",
                            "FTP:x",
                            "DNS:a..b",
                            "DNS:*.*.example.com",
                            "DNS:-lead.example.com"}) {
        try {
            parse_general_names(bad, "--san");
            ADD_FAILURE() << "accepted SAN \"" << bad << "\"";
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
            EXPECT_THAT(e.what(), HasSubstr("--san"));
            EXPECT_THAT(e.what(), HasSubstr(bad));
        }
    }
}

TEST(ParseKeyPurposes, ReadsWordsAndOpensslNames) {
    EXPECT_THAT(parse_key_purposes("server", "f"), ElementsAre(KeyPurpose::server));
    EXPECT_THAT(parse_key_purposes("clientAuth", "f"), ElementsAre(KeyPurpose::client));
    EXPECT_THAT(parse_key_purposes("peer", "f"), ElementsAre(KeyPurpose::server, KeyPurpose::client));
    EXPECT_TRUE(parse_key_purposes("", "f").empty());
    EXPECT_THROW(parse_key_purposes("codeSigning", "--eku"), core::Error);
}

TEST(Csr, RefusesWhatIsNotARequest) {
    EXPECT_THROW(Csr::from_pem(read_fixture("pki/server.pem"), "server.pem"), core::Error);
    EXPECT_THROW(Csr::from_der(to_bytes(read_fixture("pki/server.der")), "server.der"), core::Error);
}

TEST(Csr, NamesTheFileWhoseRequestHoldsAnUnreadablePublicKey) {
    // openssl's request for the P-256 server key, with the key's point form byte set to 0x05: SEC 1
    // section 2.3.4 defines 0x02/0x03 (compressed), 0x04 (uncompressed) and 0x06/0x07 (hybrid, which
    // OpenSSL reads whenever the y parity happens to match: a flaky choice), so 0x05 never decodes.
    const Csr good = Csr::from_pem(read_fixture("pki/server.csr"), "server.csr");
    Bytes der = good.der();
    const Bytes uncompressed_point{0x03, 0x42, 0x00, 0x04};
    const auto at = std::search(der.begin(), der.end(), uncompressed_point.begin(), uncompressed_point.end());
    ASSERT_NE(at, der.end());
    *(at + 3) = 0x05;
    try {
        static_cast<void>(Csr::from_der(der, "node1.csr"));
        FAIL() << "a request without a readable key was read";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_THAT(e.what(), HasSubstr("node1.csr: the certificate request has no readable public key"));
    }
}

}  // namespace
}  // namespace certfleet::pki
