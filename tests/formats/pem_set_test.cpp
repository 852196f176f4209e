#include "formats/pem_set.hpp"

#include "core/error.hpp"
#include "formats/fixtures.hpp"
#include "pki/object_reader.hpp"

#include <gtest/gtest.h>

namespace certfleet::formats {
namespace {

using testing::server_bundle;

TEST(PemSet, WritesOnlyTheNamedPiecesWhereTheyAreAsked) {
    const CertifiedKey bundle = server_bundle();
    const std::vector<TargetFile> files = make_named_files(bundle,
                                                           {.cert = "/x509/node.cert",
                                                            .key = "/x509/node.key",
                                                            .public_key = "/ssl/node1.public_key.pem",
                                                            .ca = "/ssl/ca.pem"},
                                                           ChainOrder::leaf_first);
    ASSERT_EQ(files.size(), 4U);
    EXPECT_EQ(files[0].path, "/x509/node.cert");
    EXPECT_EQ(files[0].bytes, bundle.certificate.pem());
    EXPECT_FALSE(files[0].holds_private_key);
    EXPECT_EQ(files[1].path, "/x509/node.key");
    EXPECT_TRUE(files[1].holds_private_key);
    const auto public_key = pki::read_objects(files[2].bytes, "public_key", {});
    ASSERT_EQ(public_key.size(), 1U);
    EXPECT_TRUE(std::get<pki::PublicKey>(public_key[0].object).matches(bundle.certificate.public_key()));
    EXPECT_EQ(files[3].bytes, bundle.root()->pem());
}

TEST(PemSet, RefusesAPieceItCannotMake) {
    CertifiedKey leaf_only{server_bundle().certificate.clone(), std::nullopt, {}};
    EXPECT_THROW(make_named_files(leaf_only, {.key = "/k.pem"}, ChainOrder::leaf_first), core::Error);
    CertifiedKey no_root = server_bundle();
    no_root.chain.pop_back();
    EXPECT_THROW(make_named_files(no_root, {.ca = "/ca.pem"}, ChainOrder::leaf_first), core::Error);
}

}  // namespace
}  // namespace certfleet::formats
