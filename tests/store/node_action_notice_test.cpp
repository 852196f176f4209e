#include "store/node_records.hpp"

#include <gtest/gtest.h>

namespace certfleet::store {
namespace {

TEST(NodeActionNotice, NamesItsNodeOnlyToItsOwnAuthority) {
    const std::string notice = node_action_notice("main", "db1.example");
    EXPECT_EQ(node_of_action_notice(notice, "main"), "db1.example");
    EXPECT_EQ(node_of_action_notice(notice, "mai"), std::nullopt);
    EXPECT_EQ(node_of_action_notice(notice, "main2"), std::nullopt);
    // Names may hold the separator: the authority is length-prefixed, so "1:2" and "1" never mix up.
    EXPECT_EQ(node_of_action_notice(node_action_notice("1:2", "x"), "1:2"), "x");
    EXPECT_EQ(node_of_action_notice(node_action_notice("1:2", "x"), "1"), std::nullopt);
    EXPECT_EQ(node_of_action_notice("4:mainX", "main"), "X");
    EXPECT_EQ(node_of_action_notice("4:main", "main"), std::nullopt);  // no node
    EXPECT_EQ(node_of_action_notice("garbage", "main"), std::nullopt);
}

}  // namespace
}  // namespace certfleet::store
