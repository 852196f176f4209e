#include "cli/exit_code.hpp"

#include <gtest/gtest.h>

namespace certfleet::cli {
namespace {

using core::ErrorCode;

// The table of STYLE.md section 5: scripts depend on these numbers.
TEST(ExitCodeFor, MapsEveryErrorCodeToTheDocumentedStatus) {
    EXPECT_EQ(static_cast<int>(exit_code_for(ErrorCode::invalid_input)), 2);
    EXPECT_EQ(static_cast<int>(exit_code_for(ErrorCode::unauthenticated)), 3);
    EXPECT_EQ(static_cast<int>(exit_code_for(ErrorCode::forbidden)), 3);
    EXPECT_EQ(static_cast<int>(exit_code_for(ErrorCode::not_found)), 4);
    EXPECT_EQ(static_cast<int>(exit_code_for(ErrorCode::conflict)), 4);
    EXPECT_EQ(static_cast<int>(exit_code_for(ErrorCode::unavailable)), 5);
    EXPECT_EQ(static_cast<int>(exit_code_for(ErrorCode::internal)), 70);
}

TEST(ExitCodeFor, KeepsFindingsDistinctFromEveryError) {
    EXPECT_EQ(static_cast<int>(ExitCode::ok), 0);
    EXPECT_EQ(static_cast<int>(ExitCode::findings), 1);
}

}  // namespace
}  // namespace certfleet::cli
