#include "pki/chain_order.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"
#include "pki/object_reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace certfleet::pki {
namespace {

Certificate load(const std::string& name) {
    return std::move(read_certificates(certfleet::testing::read_fixture("pki/" + name), name).at(0));
}

std::string error_of(const Certificate& leaf, const std::vector<Certificate>& issuers) {
    try {
        require_chain_order(leaf, issuers, "chain.pem");
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        return e.what();
    }
    return "";
}

std::vector<Certificate> list(std::initializer_list<const char*> names) {
    std::vector<Certificate> out;
    for (const char* n : names) {
        out.push_back(load(n));
    }
    return out;
}

TEST(ChainOrder, AcceptsLeafFirstWithOrWithoutRoot) {
    EXPECT_EQ(error_of(load("server.pem"), list({"intermediate.pem", "root.pem"})), "");
    EXPECT_EQ(error_of(load("server.pem"), list({"intermediate.pem"})), "");
    EXPECT_EQ(error_of(load("server.pem"), {}), "");
}

TEST(ChainOrder, NamesTheCertificateOutOfOrder) {
    const std::string e = error_of(load("server.pem"), list({"root.pem", "intermediate.pem"}));
    EXPECT_NE(e.find("chain.pem: out of order: the issuer of certificate 1"), std::string::npos) << e;
    EXPECT_NE(e.find("is certificate 3"), std::string::npos) << e;
}

TEST(ChainOrder, NamesTheCertificateWithoutIssuer) {
    const std::string e = error_of(load("server.pem"), list({"root.pem"}));
    EXPECT_NE(
        e.find(
            "gap in the chain: nothing in it issued certificate 1 (O=certfleet tests,CN=node1.example.com)"),
        std::string::npos)
        << e;
    EXPECT_NE(e.find("whose issuer is O=certfleet tests,CN=certfleet Test Sub CA"), std::string::npos) << e;
}

TEST(ChainOrder, RejectsCertificatesAfterTheRoot) {
    const std::string e = error_of(load("server.pem"), list({"intermediate.pem", "root.pem", "ed25519.pem"}));
    EXPECT_NE(e.find("is a self-signed root but certificate 4"), std::string::npos) << e;
}

TEST(ChainOrder, OrdersAShuffledChain) {
    const std::vector<Certificate> ordered =
        order_chain(list({"root.pem", "server.pem", "intermediate.pem"}), "x");
    ASSERT_EQ(ordered.size(), 3U);
    EXPECT_EQ(ordered[0].subject_common_name(), "node1.example.com");
    EXPECT_EQ(ordered[1].subject_common_name(), "certfleet Test Sub CA");
    EXPECT_EQ(ordered[2].subject_common_name(), "certfleet Test Root");
}

TEST(ChainOrder, OrderingReportsAGap) {
    try {
        order_chain(list({"server.pem", "root.pem"}), "x.pem");
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_NE(std::string(e.what()).find("x.pem: gap in the chain"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace certfleet::pki
