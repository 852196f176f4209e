#include "pki/finding.hpp"

#include "pki/fixtures.hpp"

#include <gtest/gtest.h>

#include <set>

namespace certfleet::pki {
namespace {

TEST(Finding, CodesHaveStableDistinctNames) {
    std::set<std::string_view> names;
    for (int i = 0; i <= static_cast<int>(FindingCode::verification_failed); ++i) {
        names.insert(to_string(static_cast<FindingCode>(i)));
    }
    EXPECT_EQ(names.size(), static_cast<std::size_t>(FindingCode::verification_failed) + 1);
    EXPECT_EQ(to_string(FindingCode::host_mismatch), "host_mismatch");
    EXPECT_EQ(to_string(FindingCode::chain_incomplete), "chain_incomplete");
    EXPECT_EQ(to_string(FindingCode::expires_soon), "expires_soon");
}

TEST(Finding, DescribesACertificateByCommonNameAndIndex) {
    EXPECT_EQ(describe_certificate(1, testing::load_certificate("intermediate.pem")),
              "cert 1 (CN=certfleet Test Sub CA)");
}

}  // namespace
}  // namespace certfleet::pki
