#include "pki/key_spec_of.hpp"

#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

TEST(KeySpecOf, MakesAKeyLikeTheOne) {
    for (const char* type : {"rsa:2048", "ec:p256", "ec:p384", "ed25519"}) {
        const PrivateKey key = PrivateKey::generate(KeySpec::parse(type, "test"));
        const auto spec = key_spec_of(key.description());
        ASSERT_TRUE(spec) << type;
        EXPECT_EQ(spec->to_string(), type);
    }
}

TEST(KeySpecOf, NothingForATypeCertfleetDoesNotGenerate) {
    EXPECT_FALSE(key_spec_of({.algorithm = "DSA", .bits = 2048}));
    EXPECT_FALSE(key_spec_of({.algorithm = "EC", .bits = 521, .curve = "P-521"}));
    EXPECT_FALSE(key_spec_of({.algorithm = "RSA-PSS", .bits = 2048}));
}

}  // namespace
}  // namespace certfleet::pki
