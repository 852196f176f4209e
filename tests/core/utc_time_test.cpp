#include "core/utc_time.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::core {
namespace {

TEST(UtcTime, HoldsEveryYearFromZeroToNineThousandNineHundredNinetyNine) {
    EXPECT_EQ(format_time(latest_time()), "9999-12-31T23:59:59Z");
    EXPECT_EQ(format_time(earliest_time()), "0000-01-01T00:00:00Z");
    const TimePoint end = parse_time("9999-12-31T23:59:59Z", "at");
    EXPECT_EQ(end, latest_time());
    // Past 2262 a nanosecond time_point wraps into the past; seconds keep going forwards.
    EXPECT_GT(end, parse_time("2262-04-12", "at"));
    EXPECT_GT(parse_time("2262-04-12", "at"), parse_time("2026-01-01", "at"));
}

TEST(UtcTime, RoundTripsCivilTimes) {
    for (const char* text : {"1970-01-01T00:00:00Z",
                             "1950-01-01T00:00:00Z",
                             "2049-12-31T23:59:59Z",
                             "2050-01-01T00:00:00Z",
                             "2262-04-11T23:47:17Z",
                             "2400-02-29T12:00:00Z",
                             "0001-01-01T00:00:00Z"}) {
        EXPECT_EQ(format_time(parse_time(text, "at")), text);
    }
    EXPECT_EQ(format_compact_time(parse_time("2026-01-31T12:34:56Z", "at")), "20260131T123456Z");
    EXPECT_EQ(parse_time("2026-01-31", "at"), parse_time("2026-01-31T00:00:00Z", "at"));
    EXPECT_EQ(parse_time("2026-01-31T00:00:00.250+00:00", "at"), parse_time("2026-01-31", "at"));
}

TEST(UtcTime, RefusesTimesThatAreNotUtcOrNotDates) {
    for (const char* text : {"",
                             "2026",
                             "2026-13-01",
                             "2026-02-30",
                             "2026-01-31T25:00:00Z",
                             "2026-01-31T12:00:00+02:00",
                             "2026-01-31T12:00:00",
                             "tomorrow",
                             "20260131"}) {
        EXPECT_THROW(parse_time(text, "--at"), Error) << text;
    }
    try {
        parse_time("2026-02-30", "--at");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        EXPECT_NE(std::string(e.what()).find("--at"), std::string::npos) << e.what();
    }
}

TEST(UtcTime, RefusesValiditiesThatEndAfterYearNineThousandNineHundredNinetyNine) {
    const TimePoint now = parse_time("2026-11-30", "now");
    EXPECT_EQ(format_time(add_checked(now, parse_duration("240y", "v"), "validity")).substr(0, 4), "2266");
    EXPECT_EQ(format_time(add_checked(now, parse_duration("500y", "v"), "validity")).substr(0, 4), "2526");
    try {
        add_checked(parse_time("9990-01-01", "t"), parse_duration("20y", "v"), "validity");
        FAIL();
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        EXPECT_NE(std::string(e.what()).find("validity: 7300d from 9990-01-01T00:00:00Z ends after 9999"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(to_civil(latest_time() + std::chrono::seconds(1)), Error);
}

}  // namespace
}  // namespace certfleet::core
