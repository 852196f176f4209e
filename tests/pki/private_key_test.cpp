#include "pki/private_key.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"
#include "pki/certificate.hpp"
#include "pki/pem_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace certfleet::pki {
namespace {

using certfleet::testing::read_fixture;
using ::testing::HasSubstr;
using ::testing::Not;

std::string error_of(auto&& action, core::ErrorCode expected = core::ErrorCode::invalid_input) {
    try {
        action();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), expected);
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return {};
}

struct GeneratedKind {
    const char* spec;
    const char* description;
};

class GenerateEachKeySpec : public ::testing::TestWithParam<GeneratedKind> {};

TEST_P(GenerateEachKeySpec, GeneratesAKeyOfThatTypeThatRoundTripsThroughPkcs8) {
    const KeySpec spec = KeySpec::parse(GetParam().spec, "--type");
    EXPECT_EQ(spec.to_string(), GetParam().spec);
    const PrivateKey key = PrivateKey::generate(spec);
    EXPECT_EQ(to_string(key.description()), GetParam().description);
    const std::string pem = key.to_pkcs8_pem();
    EXPECT_EQ(pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0U);
    const PrivateKey again = PrivateKey::from_pem(pem, "generated.key", nullptr);
    EXPECT_TRUE(again.public_key().matches(key.public_key()));
    const PrivateKey from_der = PrivateKey::from_der(key.to_pkcs8_der(), "generated.der", nullptr);
    EXPECT_TRUE(from_der.public_key().matches(key.public_key()));
}

INSTANTIATE_TEST_SUITE_P(KeySpecs,
                         GenerateEachKeySpec,
                         ::testing::Values(GeneratedKind{"rsa:2048", "RSA 2048"},
                                           GeneratedKind{"rsa:3072", "RSA 3072"},
                                           GeneratedKind{"rsa:4096", "RSA 4096"},
                                           GeneratedKind{"ec:p256", "EC P-256"},
                                           GeneratedKind{"ec:p384", "EC P-384"},
                                           GeneratedKind{"ed25519", "Ed25519"}),
                         [](const auto& param_info) {
                             std::string name = param_info.param.spec;
                             std::replace(name.begin(), name.end(), ':', '_');
                             return name;
                         });

TEST(KeySpec, AcceptsOtherSpellingsOfTheSameCurve) {
    EXPECT_EQ(KeySpec::parse("EC:P-256", "f").curve, "P-256");
    EXPECT_EQ(KeySpec::parse("ec:prime256v1", "f").curve, "P-256");
    EXPECT_EQ(KeySpec::parse("ec:secp384r1", "f").curve, "P-384");
    EXPECT_EQ(KeySpec::parse("RSA:2048", "f").rsa_bits, 2048);
}

TEST(KeySpec, RefusesWeakOrUnknownTypesAndNamesTheField) {
    for (const char* bad : {"",
                            "rsa",
                            "rsa:1024",
                            "rsa:512",
                            "rsa:2047",
                            "rsa:abc",
                            "ec",
                            "ec:p521",
                            "ec:secp256k1",
                            "dsa:2048",
                            "ed448",
                            "x25519"}) {
        const std::string what = error_of([&] { KeySpec::parse(bad, "--type"); });
        EXPECT_THAT(what, HasSubstr("--type")) << bad;
        EXPECT_THAT(what, HasSubstr("unknown key type")) << bad;
    }
}

TEST(PrivateKey, RoundTripsThroughEncryptedPkcs8) {
    const PrivateKey key = PrivateKey::generate(KeySpec::parse("ec:p256", "f"));
    const core::Secret pass("correct horse battery staple");
    const std::string pem = key.to_pkcs8_pem({.passphrase = &pass, .pbkdf2_iterations = 1000});
    EXPECT_EQ(pem.rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----\n", 0), 0U);
    EXPECT_THAT(pem, Not(HasSubstr(std::string(pass.reveal()))));
    const PrivateKey again = PrivateKey::from_pem(pem, "enc.key", &pass);
    EXPECT_TRUE(again.public_key().matches(key.public_key()));
    const Bytes der = read_pem_blocks(pem, "enc.key")[0].der;
    EXPECT_TRUE(PrivateKey::from_der(der, "enc.der", &pass).public_key().matches(key.public_key()));
}

TEST(PrivateKey, UsesPbes2WithAes256AndPbkdf2ByDefault) {
    const PrivateKey key = PrivateKey::generate(KeySpec::parse("ec:p256", "f"));
    const core::Secret pass("pw");
    const Bytes der = read_pem_blocks(key.to_pkcs8_pem({.passphrase = &pass}), "k")[0].der;
    const unsigned char* p = der.data();
    const X509SigPtr sig(d2i_X509_SIG(nullptr, &p, static_cast<long>(der.size())));
    ASSERT_TRUE(sig);
    const X509_ALGOR* alg = nullptr;
    X509_SIG_get0(sig.get(), &alg, nullptr);
    const ASN1_OBJECT* oid = nullptr;
    X509_ALGOR_get0(&oid, nullptr, nullptr, alg);
    EXPECT_EQ(OBJ_obj2nid(oid), NID_pbes2);
}

TEST(PrivateKey, ReadsTheFixtureEncryptedKeyWithItsPassphrase) {
    const core::Secret pass("correct horse battery staple");
    const PrivateKey key = PrivateKey::from_pem(read_fixture("pki/key.enc.pem"), "key.enc.pem", &pass);
    const Certificate server = Certificate::from_pem(read_fixture("pki/server.pem"), "server.pem");
    EXPECT_TRUE(key.public_key().matches(server.public_key()));
}

TEST(PrivateKey, SaysTheKeyIsEncryptedWhenNoPassphraseIsGiven) {
    const std::string what =
        error_of([] { PrivateKey::from_pem(read_fixture("pki/key.enc.pem"), "node1/key.enc.pem", nullptr); });
    EXPECT_THAT(what, HasSubstr("node1/key.enc.pem"));
    EXPECT_THAT(what, HasSubstr("encrypted"));
    EXPECT_THAT(what, HasSubstr("passphrase"));
}

TEST(PrivateKey, SaysThePassphraseIsWrongWithoutRepeatingIt) {
    const core::Secret wrong("Tr0ub4dor&3");
    // A wrong passphrase is "not authenticated" (exit 3), as a wrong keystore or CA passphrase is.
    const std::string what =
        error_of([&] { PrivateKey::from_pem(read_fixture("pki/key.enc.pem"), "key.enc.pem", &wrong); },
                 core::ErrorCode::unauthenticated);
    EXPECT_THAT(what, HasSubstr("wrong passphrase"));
    EXPECT_THAT(what, Not(HasSubstr("Tr0ub4dor")));
    const Bytes der = read_pem_blocks(read_fixture("pki/key.enc.pem"), "k")[0].der;
    EXPECT_THAT(
        error_of([&] { PrivateKey::from_der(der, "key.enc.der", &wrong); }, core::ErrorCode::unauthenticated),
        HasSubstr("wrong passphrase"));
    EXPECT_THAT(error_of([&] { PrivateKey::from_der(der, "key.enc.der", nullptr); }), HasSubstr("encrypted"));
}

TEST(PrivateKey, ReadsTraditionalRsaAndEcPem) {
    const PrivateKey rsa = PrivateKey::from_pem(read_fixture("pki/rsa_traditional.key"), "rsa.key", nullptr);
    EXPECT_EQ(to_string(rsa.description()), "RSA 2048");
    const PrivateKey ec = PrivateKey::from_pem(read_fixture("pki/ec_traditional.key"), "ec.key", nullptr);
    EXPECT_EQ(to_string(ec.description()), "EC P-256");
}

TEST(PrivateKey, ReadsTraditionalDer) {
    const Bytes der = read_pem_blocks(read_fixture("pki/rsa_traditional.key"), "k")[0].der;
    EXPECT_EQ(to_string(PrivateKey::from_der(der, "rsa.der", nullptr).description()), "RSA 2048");
}

TEST(PrivateKey, ReadsPkcs8DerFromOpenssl) {
    const PrivateKey key =
        PrivateKey::from_der(to_bytes(read_fixture("pki/server.key.der")), "server.key.der", nullptr);
    const Certificate server = Certificate::from_pem(read_fixture("pki/server.pem"), "server.pem");
    EXPECT_TRUE(key.public_key().matches(server.public_key()));
}

TEST(PrivateKey, RefusesWhatIsNotAKeyAndNamesTheSource) {
    EXPECT_THAT(error_of([] { PrivateKey::from_pem(read_fixture("pki/server.pem"), "server.pem", nullptr); }),
                HasSubstr("server.pem"));
    EXPECT_THAT(error_of([] { PrivateKey::from_der(to_bytes("garbage"), "junk.der", nullptr); }),
                HasSubstr("junk.der"));
    EXPECT_THROW(PrivateKey::from_der({}, "empty.der", nullptr), core::Error);
}

TEST(PrivateKey, CloneSharesTheSameKey) {
    const PrivateKey key = PrivateKey::generate(KeySpec::parse("ed25519", "f"));
    const PrivateKey copy = key.clone();
    EXPECT_TRUE(copy.public_key().matches(key.public_key()));
}

}  // namespace
}  // namespace certfleet::pki
