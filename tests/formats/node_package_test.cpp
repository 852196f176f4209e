#include "formats/node_package.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"
#include "formats/ustar_archive.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::formats {
namespace {

using ::testing::HasSubstr;
using testing::read_fixture;

const core::TimePoint mtime{std::chrono::seconds{1'780'000'000}};

NodePackage node1() {
    return {.node = "node1.example.com",
            .certificate_pem = read_fixture("pki/server.pem"),
            .chain_pem = read_fixture("pki/chain.pem"),
            .key_pem = read_fixture("pki/server.key")};
}

std::string refusal(const std::string& archive) {
    try {
        static_cast<void>(read_node_package(archive, "node1.tar"));
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        return e.what();
    }
    ADD_FAILURE() << "accepted";
    return {};
}

TEST(NodePackage, RoundTripsWithAManifestNamingTheCertificate) {
    const std::string archive = write_node_package(node1(), mtime);
    const std::vector<ArchiveMember> members = read_ustar_archive(archive, "node1.tar");
    ASSERT_EQ(members.size(), 4U);
    for (const ArchiveMember& m : members) {
        EXPECT_EQ(m.mode, 0600U) << m.name;
    }
    const NodePackage package = read_node_package(archive, "node1.tar");
    EXPECT_EQ(package.node, "node1.example.com");
    EXPECT_EQ(package.certificate_pem, node1().certificate_pem);
    EXPECT_EQ(package.key_pem, node1().key_pem);
    const pki::Certificate certificate = pki::Certificate::from_pem(node1().certificate_pem, "server.pem");
    EXPECT_EQ(package.serial, certificate.serial_hex());
    EXPECT_EQ(package.sha256_fingerprint, certificate.fingerprint(pki::DigestAlgorithm::sha256));
    const CertifiedKey bundle = certified_key_of(package, "node1.tar");
    EXPECT_EQ(bundle.chain.size(), 1U);
}

TEST(NodePackage, AMissingOrUnknownMemberIsRefused) {
    EXPECT_THAT(refusal(write_ustar_archive({{.name = "cert.pem", .content = node1().certificate_pem}},
                                            {.mtime = mtime})),
                HasSubstr("node1.tar: key.pem: missing"));
    EXPECT_THAT(refusal(write_ustar_archive({{.name = "run.sh", .content = "rm -rf /"}}, {.mtime = mtime})),
                HasSubstr("node1.tar: run.sh: not a member of a node package"));
}

TEST(NodePackage, AKeyReadableByOthersIsRefused) {
    std::vector<ArchiveMember> members = read_ustar_archive(write_node_package(node1(), mtime), "x");
    members[2].mode = 0644;
    EXPECT_THAT(refusal(write_ustar_archive(members, {.mtime = mtime})),
                HasSubstr("node1.tar: key.pem: mode 0644: a private key must be 0600"));
}

TEST(NodePackage, AManifestThatIsNotTheCertificatesIsRefused) {
    std::vector<ArchiveMember> members = read_ustar_archive(write_node_package(node1(), mtime), "x");
    members[0].content = read_fixture("pki/expired.pem");  // another certificate, same key
    EXPECT_THAT(refusal(write_ustar_archive(members, {.mtime = mtime})), HasSubstr("manifest.json: serial:"));
    members[3].content = "{}";
    EXPECT_THAT(refusal(write_ustar_archive(members, {.mtime = mtime})), HasSubstr("manifest.json: format:"));
}

TEST(NodePackage, AKeyThatDoesNotMatchIsRefusedWhenAssembled) {
    NodePackage package = node1();
    package.key_pem = read_fixture("pki/other.key");
    const NodePackage read = read_node_package(write_node_package(package, mtime), "node1.tar");
    EXPECT_THROW(static_cast<void>(certified_key_of(read, "node1.tar")), core::Error);
}

}  // namespace
}  // namespace certfleet::formats
