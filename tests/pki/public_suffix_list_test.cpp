#include "pki/public_suffix_list.hpp"

#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

constexpr const char* sample = R"(// ===BEGIN ICANN DOMAINS===
com
co.uk
*.ck
!www.ck
// ===END ICANN DOMAINS===
// ===BEGIN PRIVATE DOMAINS===
s3.amazonaws.com
// ===END PRIVATE DOMAINS===
)";

TEST(PublicSuffixList, SortsRulesIntoTheirSections) {
    const PublicSuffixList list = PublicSuffixList::parse(sample);
    EXPECT_EQ(list.section_of("com"), SuffixSection::icann);
    EXPECT_EQ(list.section_of("CO.UK"), SuffixSection::icann);
    EXPECT_EQ(list.section_of("s3.amazonaws.com"), SuffixSection::private_domains);
    EXPECT_EQ(list.section_of("example.com"), SuffixSection::none);
}

TEST(PublicSuffixList, AppliesWildcardAndExceptionRules) {
    const PublicSuffixList list = PublicSuffixList::parse(sample);
    EXPECT_EQ(list.section_of("anything.ck"), SuffixSection::icann);
    EXPECT_EQ(list.section_of("www.ck"), SuffixSection::none);
}

TEST(PublicSuffixList, ReadsDebiansList) {
    const PublicSuffixList& list = PublicSuffixList::system();
    ASSERT_FALSE(list.is_empty()) << "install Debian's publicsuffix package (scripts/install-deps)";
    EXPECT_EQ(list.section_of("co.uk"), SuffixSection::icann);
    EXPECT_EQ(list.section_of("s3.amazonaws.com"), SuffixSection::private_domains);
    EXPECT_EQ(list.section_of("example.co.uk"), SuffixSection::none);
}

}  // namespace
}  // namespace certfleet::pki
