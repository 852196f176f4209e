#include "core/duration.hpp"

#include "core/error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::core {
namespace {

using std::chrono::seconds;

TEST(ParseDuration, ReadsEveryUnitAnOperatorWrites) {
    EXPECT_EQ(parse_duration("90s", "f"), seconds(90));
    EXPECT_EQ(parse_duration("15m", "f"), seconds(15 * 60));
    EXPECT_EQ(parse_duration("12h", "f"), seconds(12 * 3600));
    EXPECT_EQ(parse_duration("30d", "f"), seconds(30 * 86400));
    EXPECT_EQ(parse_duration("2w", "f"), seconds(14 * 86400));
    EXPECT_EQ(parse_duration("10y", "f"), seconds(3650LL * 86400));
}

TEST(ParseDuration, TakesABareNumberAsDays) {
    EXPECT_EQ(parse_duration("7", "f"), seconds(7 * 86400));
}

TEST(ParseDuration, RefusesWhatIsNotADurationAndNamesTheField) {
    for (const char* bad : {"", "d", "-1d", "30x", "1.5d", "30 d", "abc", "99999999999999999999d"}) {
        try {
            parse_duration(bad, "--validity");
            ADD_FAILURE() << "accepted \"" << bad << "\"";
        } catch (const Error& e) {
            EXPECT_EQ(e.code(), ErrorCode::invalid_input);
            EXPECT_THAT(e.what(), ::testing::HasSubstr("--validity"));
        }
    }
}

TEST(ParseDuration, RefusesADurationBeyondAThousandYears) {
    EXPECT_THROW(parse_duration("1001y", "f"), Error);
    EXPECT_NO_THROW(parse_duration("1000y", "f"));
}

TEST(FormatDuration, UsesTheLargestWholeUnit) {
    EXPECT_EQ(format_duration(seconds(30 * 86400)), "30d");
    EXPECT_EQ(format_duration(seconds(12 * 3600)), "12h");
    EXPECT_EQ(format_duration(seconds(90 * 60)), "90m");
    EXPECT_EQ(format_duration(seconds(90)), "90s");
    EXPECT_EQ(format_duration(seconds(0)), "0s");
}

TEST(FormatDuration, RoundTripsThroughParse) {
    for (const char* text : {"30d", "12h", "15m", "90s"}) {
        EXPECT_EQ(format_duration(parse_duration(text, "f")), text);
    }
}

}  // namespace
}  // namespace certfleet::core
