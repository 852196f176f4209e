#include "formats/truststore.hpp"

#include "core/error.hpp"
#include "formats/pem_set.hpp"

#include <gtest/gtest.h>

namespace certfleet::formats {
namespace {

// Regression: `--truststore-type PKCS12` wrote a JKS file and exited 0.
TEST(Truststore, TypeIsParsedStrictlyInAnyCase) {
    EXPECT_EQ(parse_truststore_type("PKCS12", "--truststore-type"), TruststoreType::pkcs12);
    EXPECT_EQ(parse_truststore_type("pkcs12", "--truststore-type"), TruststoreType::pkcs12);
    EXPECT_EQ(parse_truststore_type("JKS", "--truststore-type"), TruststoreType::jks);
    try {
        parse_truststore_type("pkcs11", "--truststore-type");
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_NE(std::string(e.what()).find("--truststore-type: unknown truststore type \"pkcs11\""),
                  std::string::npos);
    }
}

TEST(PemSet, ChainOrderIsParsedStrictly) {
    EXPECT_EQ(parse_chain_order("root-first", "--order"), ChainOrder::root_first);
    EXPECT_EQ(parse_chain_order("leaf-first", "--order"), ChainOrder::leaf_first);
    EXPECT_THROW(parse_chain_order("rootfirst", "--order"), core::Error);
}

}  // namespace
}  // namespace certfleet::formats
