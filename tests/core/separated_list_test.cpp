#include "core/separated_list.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::core {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(SplitList, ReturnsTheItemsInOrder) {
    EXPECT_THAT(split_list("server,client,peer"), ElementsAre("server", "client", "peer"));
}

TEST(SplitList, DropsEmptyItemsButKeepsSpaces) {
    EXPECT_THAT(split_list(",a,,b ,"), ElementsAre("a", "b "));
    EXPECT_THAT(split_list(""), IsEmpty());
    EXPECT_THAT(split_list(",,,"), IsEmpty());
}

TEST(SplitList, SplitsAtTheSeparatorItIsGiven) {
    EXPECT_THAT(split_list("a:b,c", ':'), ElementsAre("a", "b,c"));
}

}  // namespace
}  // namespace certfleet::core
