#include "pki/certificate.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

namespace certfleet::pki {
namespace {

using certfleet::testing::read_fixture;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Certificate load(std::string_view name) {
    return Certificate::from_pem(read_fixture(std::string("pki/") + std::string(name) + ".pem"), name);
}

TEST(Certificate, ReadsSubjectAndIssuerAsRfc2253) {
    const Certificate server = load("server");
    EXPECT_EQ(server.subject(), "O=certfleet tests,CN=node1.example.com");
    EXPECT_EQ(server.issuer(), "O=certfleet tests,CN=certfleet Test Sub CA");
    EXPECT_EQ(server.subject_common_name(), "node1.example.com");
    EXPECT_EQ(server.issuer_common_name(), "certfleet Test Sub CA");
}

TEST(Certificate, ReadsTheSerialAsLowerCaseHex) {
    // make_data.sh issues from serial 1000 upwards: root, intermediate, server ...
    EXPECT_EQ(load("root").serial_hex(), "1000");
    EXPECT_EQ(load("server").serial_hex(), "1002");
}

TEST(Certificate, ReadsDnsWildcardAndIpSubjectAltNames) {
    EXPECT_THAT(load("server").subject_alt_names(),
                ElementsAre(GeneralName{GeneralName::Kind::dns, "node1.example.com"},
                            GeneralName{GeneralName::Kind::dns, "node1"},
                            GeneralName{GeneralName::Kind::dns, "*.apps.example.com"},
                            GeneralName{GeneralName::Kind::ip, "10.0.0.1"}));
    EXPECT_TRUE(load("root").subject_alt_names().empty());
}

TEST(Certificate, ReadsTheValidityDates) {
    const Certificate server = load("server");
    EXPECT_EQ(format_time(server.not_before()), "2020-01-01T00:00:00Z");
    EXPECT_EQ(format_time(server.not_after()), "2099-12-31T00:00:00Z");
    const Certificate expired = load("expired");
    EXPECT_FALSE(expired.is_valid_at(parse_time("2026-01-01", "t")));
    EXPECT_TRUE(expired.is_valid_at(parse_time("2020-06-01", "t")));
    EXPECT_FALSE(load("not_yet_valid").is_valid_at(parse_time("2026-01-01", "t")));
}

TEST(Certificate, NamesExtendedKeyUsagesAsOpensslDoes) {
    const auto eku = load("server").extended_key_usage();
    ASSERT_EQ(eku.size(), 2U);
    EXPECT_EQ(eku[0].short_name, "serverAuth");
    EXPECT_EQ(eku[0].long_name, "TLS Web Server Authentication");
    EXPECT_EQ(eku[1].short_name, "clientAuth");
    EXPECT_EQ(eku[1].long_name, "TLS Web Client Authentication");
    const auto client = load("client_only").extended_key_usage();
    ASSERT_EQ(client.size(), 1U);
    EXPECT_EQ(client[0].short_name, "clientAuth");
    EXPECT_TRUE(load("root").extended_key_usage().empty());
}

TEST(Certificate, ReadsKeyUsageBits) {
    EXPECT_THAT(load("server").key_usage(), ElementsAre("digitalSignature", "keyEncipherment"));
    EXPECT_THAT(load("root").key_usage(), ElementsAre("keyCertSign", "cRLSign"));
}

TEST(Certificate, ReadsBasicConstraints) {
    const auto root = load("root").basic_constraints();
    ASSERT_TRUE(root.has_value());
    EXPECT_TRUE(root->is_ca);
    EXPECT_TRUE(root->critical);
    EXPECT_FALSE(root->path_length.has_value());
    const auto sub = load("intermediate").basic_constraints();
    ASSERT_TRUE(sub.has_value());
    EXPECT_EQ(sub->path_length, 0);
    EXPECT_TRUE(load("intermediate").is_ca());
    EXPECT_FALSE(load("server").is_ca());
}

TEST(Certificate, LinksAuthorityKeyIdToTheIssuersSubjectKeyId) {
    const Certificate root = load("root");
    const Certificate sub = load("intermediate");
    const Certificate server = load("server");
    EXPECT_EQ(sub.subject_key_id().size(), 20U * 3 - 1);  // 20 bytes, "ab:cd:..."
    EXPECT_EQ(server.authority_key_id(), sub.subject_key_id());
    EXPECT_EQ(sub.authority_key_id(), root.subject_key_id());
    EXPECT_EQ(root.authority_key_id(), "");
}

TEST(Certificate, KnowsWhichIsSelfSignedAndWhoIssuedWhom) {
    const Certificate root = load("root");
    const Certificate sub = load("intermediate");
    const Certificate server = load("server");
    EXPECT_TRUE(root.is_self_signed());
    EXPECT_FALSE(sub.is_self_signed());
    EXPECT_TRUE(sub.is_issued_by(root));
    EXPECT_TRUE(server.is_issued_by(sub));
    EXPECT_FALSE(server.is_issued_by(root));
    EXPECT_FALSE(root.is_issued_by(sub));
    EXPECT_TRUE(load("rsa_pss").is_self_signed());
}

TEST(Certificate, RefusesAnIssuerWithTheRightNameButTheWrongKey) {
    // The root's name with another key: the name check passes, the signature check must not.
    const Certificate server = load("server");
    const Certificate ed = load("ed25519");  // issued by the same Sub CA, so its issuer name matches
    EXPECT_FALSE(server.is_issued_by(ed));
}

TEST(Certificate, MatchesHostsLikeATlsClient) {
    const Certificate server = load("server");
    EXPECT_TRUE(server.matches_host("node1.example.com"));
    EXPECT_TRUE(server.matches_host("NODE1.example.com"));
    EXPECT_TRUE(server.matches_host("node1"));
    EXPECT_TRUE(server.matches_host("web.apps.example.com"));
    EXPECT_FALSE(server.matches_host("a.b.apps.example.com"));  // a wildcard covers one label
    EXPECT_FALSE(server.matches_host("apps.example.com"));
    EXPECT_FALSE(server.matches_host("node2.example.com"));
    EXPECT_TRUE(server.matches_host("10.0.0.1"));
    EXPECT_FALSE(server.matches_host("10.0.0.2"));
}

TEST(Certificate, ComputesFingerprintsOfTheDer) {
    const Certificate server = load("server");
    const std::string sha256 = server.fingerprint(DigestAlgorithm::sha256);
    EXPECT_EQ(sha256.size(), 32U * 3 - 1);
    EXPECT_EQ(sha256, fingerprint(DigestAlgorithm::sha256, to_bytes(read_fixture("pki/server.der"))));
    EXPECT_EQ(server.fingerprint(DigestAlgorithm::sha1).size(), 20U * 3 - 1);
    EXPECT_NE(sha256, load("expired").fingerprint(DigestAlgorithm::sha256));
}

TEST(Certificate, CloneIsTheSameCertificateAndOutlivesTheOriginal) {
    std::optional<Certificate> original = load("server");
    const Certificate copy = original->clone();
    original.reset();
    EXPECT_EQ(copy.subject(), "O=certfleet tests,CN=node1.example.com");
    EXPECT_EQ(copy.der(), to_bytes(read_fixture("pki/server.der")));
    EXPECT_NE(copy.x509(), nullptr);
}

TEST(Certificate, RoundTripsDerAndPem) {
    const Certificate server = load("server");
    EXPECT_EQ(server.pem(), read_fixture("pki/server.pem"));
    const Certificate again = Certificate::from_der(server.der(), "again");
    EXPECT_EQ(again.serial_hex(), "1002");
}

TEST(Certificate, DescribesItsKeyWithoutDecodingIt) {
    EXPECT_EQ(to_string(load("root").key_description()), "RSA 2048");
    EXPECT_EQ(to_string(load("server").key_description()), "EC P-256");
    EXPECT_EQ(to_string(load("ed25519").key_description()), "Ed25519");
    EXPECT_EQ(load("rsa_pss").key_description().algorithm, "RSA-PSS");
    EXPECT_EQ(load("rsa_pss").key_description().bits, 2048);
}

TEST(Certificate, NamesTheSourceOfWhatIsNotACertificate) {
    try {
        Certificate::from_der(to_bytes("not der"), "junk.der");
        FAIL() << "parsed junk";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_THAT(e.what(), HasSubstr("junk.der"));
    }
    EXPECT_THROW(Certificate::from_pem(read_fixture("pki/server.key"), "key.pem"), core::Error);
}

TEST(ParseTime, ReadsRfc3339AndRefusesLocalTimes) {
    EXPECT_EQ(format_time(parse_time("2026-01-31T12:00:00Z", "t")), "2026-01-31T12:00:00Z");
    EXPECT_EQ(format_time(parse_time("2026-01-31T12:00:00.250+00:00", "t")), "2026-01-31T12:00:00Z");
    EXPECT_EQ(format_time(parse_time("2026-01-31", "t")), "2026-01-31T00:00:00Z");
    EXPECT_THROW(parse_time("2026-01-31T12:00:00+02:00", "t"), core::Error);
    EXPECT_THROW(parse_time("yesterday", "t"), core::Error);
}

TEST(Certificate, NamesTheFileAndFieldOfAnInvalidDate) {
    // openssl's server certificate (notBefore UTCTime 200101000000Z) with month 13 patched in.
    std::string der = read_fixture("pki/server.der");
    const std::size_t at = der.find("200101000000Z");
    ASSERT_NE(at, std::string::npos);
    der.replace(at, 13, "201301000000Z");
    try {
        static_cast<void>(Certificate::from_der(to_bytes(der), "node1.der"));
        FAIL() << "a certificate dated month 13 was read";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_THAT(e.what(), HasSubstr("node1.der: notBefore: invalid time value"));
    }
}

}  // namespace
}  // namespace certfleet::pki
