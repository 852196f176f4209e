#include "formats/artifact_reader.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::formats {
namespace {

using certfleet::testing::read_fixture;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string_view> kinds_of(const Artifact& artifact) {
    std::vector<std::string_view> out;
    for (const auto& o : artifact.objects) {
        out.push_back(pki::kind_of(o.object));
    }
    return out;
}

TEST(ReadArtifact, RecognisesPem) {
    const Artifact a = read_artifact(read_fixture("pki/fullchain.pem"), "fullchain.pem", {});
    EXPECT_EQ(a.format, ArtifactFormat::pem);
    EXPECT_THAT(kinds_of(a), ElementsAre("certificate", "certificate"));
}

TEST(ReadArtifact, RecognisesDer) {
    const Artifact a = read_artifact(read_fixture("pki/server.der"), "server.der", {});
    EXPECT_EQ(a.format, ArtifactFormat::der);
    EXPECT_THAT(kinds_of(a), ElementsAre("certificate"));
}

TEST(ReadArtifact, OpensPkcs12WithItsPassword) {
    const core::Secret password("changeit");
    const Artifact a = read_artifact(read_fixture("pki/server.p12"), "server.p12", {.password = &password});
    EXPECT_EQ(a.format, ArtifactFormat::pkcs12);
    EXPECT_THAT(kinds_of(a), ElementsAre("certificate", "certificate", "private_key"));
    EXPECT_THAT(a.objects[0].location, HasSubstr("server.p12: entry \"node1\" certificate"));
}

TEST(ReadArtifact, AsksForThePasswordOfAPkcs12) {
    try {
        read_artifact(read_fixture("pki/server.p12"), "server.p12", {});
        FAIL() << "opened PKCS#12 without a password";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_THAT(e.what(), HasSubstr("server.p12"));
        EXPECT_THAT(e.what(), HasSubstr("password"));
    }
}

TEST(ReadArtifact, PassesThePassphraseToEncryptedKeys) {
    const core::Secret pass("correct horse battery staple");
    const Artifact a = read_artifact(read_fixture("pki/key.enc.pem"), "key.enc.pem", {.passphrase = &pass});
    EXPECT_THAT(kinds_of(a), ElementsAre("private_key"));
    EXPECT_THROW(read_artifact(read_fixture("pki/key.enc.pem"), "key.enc.pem", {}), core::Error);
}

TEST(ReadArtifact, NamesFormats) {
    EXPECT_EQ(to_string(ArtifactFormat::pem), "pem");
    EXPECT_EQ(to_string(ArtifactFormat::der), "der");
    EXPECT_EQ(to_string(ArtifactFormat::pkcs12), "pkcs12");
    EXPECT_EQ(to_string(ArtifactFormat::jks), "jks");
}

}  // namespace
}  // namespace certfleet::formats
