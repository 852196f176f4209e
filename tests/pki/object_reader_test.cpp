#include "pki/object_reader.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"
#include "pki/pem_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace certfleet::pki {
namespace {

using certfleet::testing::read_fixture;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string as_text(const Bytes& b) {
    return to_string(b);
}

std::string der_of_pem_fixture(std::string_view name) {
    return as_text(read_pem_blocks(read_fixture(name), name).at(0).der);
}

std::vector<std::string_view> kinds_of(const std::vector<SourcedObject>& objects) {
    std::vector<std::string_view> out;
    for (const auto& o : objects) {
        out.push_back(kind_of(o.object));
    }
    return out;
}

// Returns the message of the invalid_input error that reading `bytes` must raise.
std::string error_of(std::string_view bytes, std::string_view source, const core::Secret* pass = nullptr) {
    try {
        read_objects(bytes, source, {.passphrase = pass});
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input) << e.what();
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return {};
}

TEST(ReadObjects, RecognisesEachKindOfDer) {
    EXPECT_THAT(kinds_of(read_objects(read_fixture("pki/server.der"), "a")), ElementsAre("certificate"));
    EXPECT_THAT(kinds_of(read_objects(der_of_pem_fixture("pki/server.csr"), "a")), ElementsAre("csr"));
    EXPECT_THAT(kinds_of(read_objects(der_of_pem_fixture("pki/intermediate.crl"), "a")), ElementsAre("crl"));
    EXPECT_THAT(kinds_of(read_objects(read_fixture("pki/server.key.der"), "a")), ElementsAre("private_key"));
    EXPECT_THAT(kinds_of(read_objects(der_of_pem_fixture("pki/rsa_traditional.key"), "a")),
                ElementsAre("private_key"));
    EXPECT_THAT(kinds_of(read_objects(der_of_pem_fixture("pki/ec_traditional.key"), "a")),
                ElementsAre("private_key"));
    const auto cert = read_objects(read_fixture("pki/server.der"), "a");
    const Bytes spki = std::get<Certificate>(cert[0].object).public_key().spki_der();
    EXPECT_THAT(kinds_of(read_objects(as_text(spki), "a")), ElementsAre("public_key"));
}

TEST(ReadObjects, ReadsEncryptedPkcs8DerWithItsPassphrase) {
    const std::string der = der_of_pem_fixture("pki/key.enc.pem");
    const core::Secret pass("correct horse battery staple");
    EXPECT_THAT(kinds_of(read_objects(der, "key.der", {.passphrase = &pass})), ElementsAre("private_key"));
    EXPECT_THAT(error_of(der, "key.der"), HasSubstr("passphrase"));
}

TEST(ReadObjects, ReadsEveryPemBlockWithItsLocation) {
    const auto objects = read_objects(read_fixture("pki/bundle_with_key.pem"), "haproxy.pem");
    EXPECT_THAT(kinds_of(objects), ElementsAre("certificate", "certificate", "private_key"));
    EXPECT_THAT(objects[1].location, AllOf(HasSubstr("haproxy.pem"), HasSubstr("block 2")));
}

TEST(ReadObjects, ReadsTrustedCertificateAsTheCertificateItWraps) {
    const auto objects = read_objects(read_fixture("pki/trusted.pem"), "trusted.pem");
    ASSERT_THAT(kinds_of(objects), ElementsAre("certificate"));
    EXPECT_EQ(std::get<Certificate>(objects[0].object).subject(), "O=certfleet tests,CN=certfleet Test Root");
}

TEST(ReadObjects, SaysHowTruncatedDerIs) {
    const std::string what = error_of(read_fixture("pki/truncated.der"), "node1/truncated.der");
    EXPECT_THAT(what, AllOf(HasSubstr("node1/truncated.der"), HasSubstr("truncated"), HasSubstr("196")));
}

TEST(ReadObjects, RefusesAZeroLengthFile) {
    EXPECT_THAT(error_of(read_fixture("pki/empty.pem"), "empty.pem"),
                AllOf(HasSubstr("empty.pem"), HasSubstr("empty")));
}

TEST(ReadObjects, RefusesAnUnknownPemBlockType) {
    EXPECT_THAT(error_of("-----BEGIN WIDGET-----\nAAAA\n-----END WIDGET-----\n", "w.pem"),
                AllOf(HasSubstr("w.pem: block 1"), HasSubstr("WIDGET")));
}

TEST(ReadObjects, NamesTheBlockWhoseBodyIsNotWhatItsLabelSays) {
    std::string text = read_fixture("pki/root.pem");
    const std::string key = read_fixture("pki/server.key");
    // A private key's body under a CERTIFICATE label.
    std::string wrong = key;
    wrong.replace(wrong.find("BEGIN PRIVATE KEY"), 17, "BEGIN CERTIFICATE");
    wrong.replace(wrong.find("END PRIVATE KEY"), 15, "END CERTIFICATE");
    EXPECT_THAT(error_of(text + wrong, "mixed.pem"), HasSubstr("mixed.pem: block 2"));
}

TEST(ReadObjects, RefusesRandomBytesCleanly) {
    std::mt19937 rng(20260101);  // deterministic
    for (int round = 0; round < 200; ++round) {
        std::string bytes(static_cast<std::size_t>(1 + rng() % 4096), '\0');
        for (char& c : bytes) {
            c = static_cast<char>(rng());
        }
        if (round % 2 == 0) {
            bytes[0] = 0x30;  // look like a SEQUENCE
        }
        try {
            read_objects(bytes, "random.bin");
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
            EXPECT_THAT(e.what(), HasSubstr("random.bin"));
        }
    }
}

TEST(ReadObjects, RefusesDeeplyNestedAsn1WithoutCrashing) {
    for (const bool definite : {true, false}) {
        std::string bytes;
        constexpr int depth = 100000;
        if (definite) {
            // SEQUENCE { SEQUENCE { ... } } with correct lengths, innermost first.
            bytes = std::string("\x05\x00", 2);
            for (int i = 0; i < 2000; ++i) {
                const std::size_t n = bytes.size();
                std::string header("\x30\x83", 2);
                header += static_cast<char>((n >> 16) & 0xff);
                header += static_cast<char>((n >> 8) & 0xff);
                header += static_cast<char>(n & 0xff);
                bytes = header + bytes;
            }
        } else {
            for (int i = 0; i < depth; ++i) {
                bytes += "\x30\x80";  // indefinite length, never closed
            }
        }
        EXPECT_THAT(error_of(bytes, "nested.der"), HasSubstr("nested.der"));
    }
}

TEST(ReadObjects, RefusesHugeLengthFieldsCleanly) {
    const std::vector<std::string> inputs = {
        std::string("\x30\x84\x7f\xff\xff\xff\x02\x01\x00", 9),
        std::string("\x30\x88\xff\xff\xff\xff\xff\xff\xff\xff\x02\x01\x00", 13),
        std::string("\x30\x8f", 2) + std::string(15, '\xff'),
        std::string("\x30\x82\xff\xff", 4) + std::string(100, '\x30'),
    };
    for (const std::string& bytes : inputs) {
        EXPECT_THAT(error_of(bytes, "huge.der"), HasSubstr("huge.der"));
    }
    // The same inside a certificate: a real certificate whose outer length claims 2 GiB.
    std::string cert = read_fixture("pki/server.der");
    ASSERT_EQ(static_cast<unsigned char>(cert[1]), 0x82);
    cert.replace(0, 4, std::string("\x30\x84\x7f\xff\xff\xff", 6));
    EXPECT_THAT(error_of(cert, "huge.der"), HasSubstr("truncated"));
}

TEST(ReadObjects, RefusesTrailingDataAfterACertificate) {
    const std::string bytes = read_fixture("pki/server.der") + "extra";
    EXPECT_THAT(error_of(bytes, "trailing.der"), HasSubstr("trailing"));
}

TEST(ReadCertificates, ReturnsOnlyTheCertificates) {
    const auto certs = read_certificates(read_fixture("pki/bundle_with_key.pem"), "bundle.pem");
    ASSERT_EQ(certs.size(), 2U);
    EXPECT_EQ(certs[0].subject_common_name(), "node1.example.com");
    EXPECT_EQ(certs[1].subject_common_name(), "certfleet Test Sub CA");
    EXPECT_EQ(read_certificates(read_fixture("pki/server.der"), "server.der").size(), 1U);
}

TEST(ReadCertificates, RefusesAFileWithoutCertificates) {
    EXPECT_THROW(read_certificates(read_fixture("pki/server.key"), "server.key"), core::Error);
    EXPECT_THROW(read_certificates("", "empty"), core::Error);
    EXPECT_THROW(read_certificates(read_fixture("pki/truncated.der"), "t.der"), core::Error);
}

TEST(DescribeDerDamage, SaysNothingForCompleteDer) {
    EXPECT_EQ(describe_der_damage(to_bytes(read_fixture("pki/server.der"))), "");
    EXPECT_EQ(describe_der_damage({}), "empty");
    EXPECT_EQ(describe_der_damage(to_bytes(std::string("\x02\x01\x00", 3))),
              "does not start with a SEQUENCE");
}

TEST(ObjectReader, ReadsEveryCertificateOfAPkcs7BundleInPemAndDer) {
    const Bytes server = read_pem_blocks(read_fixture("pki/server.pem"), "server.pem").at(0).der;
    for (const char* name : {"formats/chain.p7b", "formats/chain.der.p7b"}) {
        const std::vector<SourcedObject> objects = read_objects(read_fixture(name), name, {});
        ASSERT_EQ(objects.size(), 3U) << name;
        EXPECT_THAT(kinds_of(objects), ElementsAre("certificate", "certificate", "certificate"));
        std::vector<std::string> subjects;
        for (const auto& o : objects) {
            subjects.push_back(std::get<Certificate>(o.object).subject_common_name());
            EXPECT_THAT(o.location, AllOf(HasSubstr(name), HasSubstr("of 3")));
        }
        EXPECT_THAT(subjects,
                    ::testing::UnorderedElementsAre(
                        "node1.example.com", "certfleet Test Sub CA", "certfleet Test Root"));
        const std::vector<Certificate> certificates = read_certificates(read_fixture(name), name);
        ASSERT_EQ(certificates.size(), 3U) << name;
        EXPECT_TRUE(std::any_of(certificates.begin(), certificates.end(), [&](const Certificate& c) {
            return c.der() == server;
        }));
    }
}

TEST(ObjectReader, NamesTheBlockOfADamagedPkcs7Bundle) {
    const std::string pem = "-----BEGIN PKCS7-----\nMIIBAAAA\n-----END PKCS7-----\n";
    try {
        static_cast<void>(read_objects(pem, "bad.p7b", {}));
        ADD_FAILURE() << "read a damaged PKCS#7";
    } catch (const core::Error& e) {
        EXPECT_THAT(e.what(), AllOf(HasSubstr("bad.p7b: block 1"), HasSubstr("PKCS#7")));
    }
}

}  // namespace
}  // namespace certfleet::pki
