#include "pki/public_key.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"
#include "pki/certificate.hpp"
#include "pki/private_key.hpp"

#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

using certfleet::testing::read_fixture;

PublicKey public_key_of_key_file(std::string_view name) {
    return PrivateKey::from_pem(read_fixture(std::string("pki/") + std::string(name)), name, nullptr)
        .public_key();
}

TEST(PublicKey, DescribesRsaKeysByModulusSize) {
    EXPECT_EQ(to_string(public_key_of_key_file("root.key").description()), "RSA 2048");
    EXPECT_EQ(to_string(public_key_of_key_file("rsa4096.key").description()), "RSA 4096");
}

TEST(PublicKey, DescribesEcKeysByNistCurve) {
    const KeyDescription p256 = public_key_of_key_file("server.key").description();
    EXPECT_EQ(to_string(p256), "EC P-256");
    EXPECT_EQ(p256.bits, 256);
    const KeyDescription p384 = public_key_of_key_file("p384.key").description();
    EXPECT_EQ(to_string(p384), "EC P-384");
    EXPECT_EQ(p384.bits, 384);
}

TEST(PublicKey, DescribesEd25519) {
    const KeyDescription ed = public_key_of_key_file("ed25519.key").description();
    EXPECT_EQ(to_string(ed), "Ed25519");
    EXPECT_EQ(ed.algorithm, "Ed25519");
}

TEST(PublicKey, MatchesTheKeyOfItsCertificateAndNoOther) {
    const PublicKey server_key = public_key_of_key_file("server.key");
    const Certificate server = Certificate::from_pem(read_fixture("pki/server.pem"), "server.pem");
    EXPECT_TRUE(server_key.matches(server.public_key()));
    EXPECT_TRUE(server.public_key().matches(server_key));
    EXPECT_FALSE(public_key_of_key_file("other.key").matches(server.public_key()));
    EXPECT_FALSE(public_key_of_key_file("root.key").matches(server.public_key()));
}

TEST(PublicKey, MatchesTheSameEcKeyInCompressedForm) {
    // The same point, encoded compressed: different SPKI bytes, the same key.
    const PrivateKey key = PrivateKey::from_pem(read_fixture("pki/server.key"), "server.key", nullptr);
    const PublicKey uncompressed = key.public_key();
    const EvpPkeyPtr copy(EVP_PKEY_dup(key.get()));
    ASSERT_TRUE(copy);
    ASSERT_EQ(EVP_PKEY_set_utf8_string_param(copy.get(), "point-format", "compressed"), 1);
    const PublicKey compressed = PublicKey::from_evp(copy.get());
    ASSERT_NE(compressed.spki_der(), uncompressed.spki_der());
    EXPECT_TRUE(compressed.matches(uncompressed));
}

TEST(PublicKey, RoundTripsItsSpki) {
    const PublicKey key = public_key_of_key_file("server.key");
    const PublicKey again = PublicKey::from_spki_der(key.spki_der(), "spki");
    EXPECT_TRUE(again.matches(key));
    EXPECT_EQ(again.fingerprint_sha256(), key.fingerprint_sha256());
    EXPECT_NE(again.evp(), nullptr);
}

TEST(PublicKey, RefusesWhatIsNotAnSpki) {
    EXPECT_THROW(PublicKey::from_spki_der(to_bytes("\x30\x03\x02\x01\x01"), "junk"), core::Error);
    EXPECT_THROW(PublicKey::from_spki_der({}, "empty"), core::Error);
}

}  // namespace
}  // namespace certfleet::pki
