#include "formats/bundle_targets.hpp"

#include "core/error.hpp"
#include "formats/artifact_reader.hpp"
#include "formats/certified_key_reader.hpp"
#include "formats/fixtures.hpp"

#include <gtest/gtest.h>

namespace certfleet::formats {
namespace {

using testing::pki_fixture;
using testing::server_bundle;

const core::Secret password{"s3cret"};

void expect_same(const CertifiedKey& back, const std::string& what, bool with_root = true) {
    const CertifiedKey want = server_bundle();
    EXPECT_EQ(back.certificate.der(), want.certificate.der()) << what;
    ASSERT_TRUE(back.key) << what;
    EXPECT_EQ(back.key->to_pkcs8_der(), want.key->to_pkcs8_der()) << what;
    ASSERT_EQ(back.chain.size(), with_root ? 2U : 1U) << what;
    EXPECT_EQ(back.chain[0].der(), want.chain[0].der()) << what;
    if (with_root) {
        EXPECT_EQ(back.chain[1].der(), want.chain[1].der()) << what;
    }
}

std::vector<TargetFile> make(BundleFormat format, BundleTargetRequest request = {}) {
    request.format = format;
    request.password = &password;
    if (request.out.empty()) {
        request.out = "out";
    }
    return make_bundle_targets(server_bundle(), request);
}

TEST(BundleTargets, KeystoresRoundTrip) {
    for (const bool legacy : {false, true}) {
        const auto files = make(BundleFormat::pkcs12, {.alias = "node1", .legacy = legacy});
        expect_same(read_certified_key(files.at(0).bytes, "p12", {.password = &password}), "pkcs12");
    }
    const auto jks = make(BundleFormat::jks, {.alias = "Node1"});
    expect_same(read_certified_key(jks.at(0).bytes, "jks", {.password = &password, .alias = "NODE1"}), "jks");
    EXPECT_TRUE(jks.at(0).holds_private_key);
}

TEST(BundleTargets, TextFormatsRoundTrip) {
    expect_same(read_certified_key(make(BundleFormat::haproxy).at(0).bytes, "haproxy", {}), "haproxy", false);
    expect_same(
        read_certified_key(
            make(BundleFormat::k8s_secret, {.secret_name = "node1-tls", .include_ca = true}).at(0).bytes,
            "secret",
            {}),
        "k8s-secret");
    std::string all;
    for (const TargetFile& f : make(BundleFormat::pem, {.out = "dir"})) {
        if (f.path != "dir/fullchain.pem") {
            all += f.bytes;
        }
    }
    expect_same(read_certified_key(all, "pem set", {}), "pem");
}

TEST(BundleTargets, TruststoresHoldOnlyTheRoot) {
    for (const TruststoreType type : {TruststoreType::jks, TruststoreType::pkcs12}) {
        const auto files = make(BundleFormat::truststore, {.truststore_type = type});
        const Artifact artifact = read_artifact(files.at(0).bytes, "trust", {.password = &password});
        ASSERT_EQ(artifact.objects.size(), 1U);
        EXPECT_EQ(std::get<pki::Certificate>(artifact.objects[0].object).der(),
                  server_bundle().chain[1].der());
    }
}

TEST(BundleTargets, ChainFilesAndPuppetLayout) {
    std::vector<std::string> names;
    for (const TargetFile& f : make(BundleFormat::chain_files, {.out = "up"})) {
        names.push_back(f.path);
    }
    EXPECT_EQ(names,
              (std::vector<std::string>{"up/01-root.crt",
                                        "up/02-intermediate.crt",
                                        "up/03-server.crt",
                                        "up/04-server.key",
                                        "up/server.crt",
                                        "up/server.key",
                                        "up/chain.crt"}));
    const auto puppet = make(BundleFormat::puppet_ssl_dir, {.out = "ssl", .secret_name = "node1"});
    ASSERT_EQ(puppet.size(), 4U);  // no CRL given
    EXPECT_EQ(puppet[2].path, "ssl/private_keys/node1.pem");
    EXPECT_EQ(puppet[2].mode, std::optional<mode_t>(0400));
    EXPECT_EQ(
        make(BundleFormat::puppet_ssl_dir, {.out = "ssl", .secret_name = "n", .service_group = true})[2].mode,
        std::optional<mode_t>(0640));
    EXPECT_THROW(make(BundleFormat::puppet_ssl_dir, {.out = "ssl", .secret_name = "../etc"}), core::Error);
}

TEST(BundleTargets, BadRequestsAreRefused) {
    EXPECT_THROW(parse_bundle_format("p7b"), core::Error);
    EXPECT_THROW(make(BundleFormat::k8s_secret, {.secret_name = "Not_Valid"}), core::Error);
    BundleTargetRequest no_password{.format = BundleFormat::jks, .out = "x"};
    EXPECT_THROW(make_bundle_targets(server_bundle(), no_password), core::Error);
    const std::string existing = make(BundleFormat::jks, {.alias = "node1"}).at(0).bytes;
    try {
        make(BundleFormat::jks,
             {.alias = "NODE1", .existing_keystore = &existing, .existing_source = "ks.jks"});
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
    }
    const auto replaced = make(BundleFormat::jks,
                               {.alias = "node1",
                                .existing_keystore = &existing,
                                .existing_source = "ks.jks",
                                .alias_clash = AliasClash::replace});
    EXPECT_EQ(read_artifact(replaced.at(0).bytes, "ks", {.password = &password}).objects.size(), 4U);
}

}  // namespace
}  // namespace certfleet::formats
