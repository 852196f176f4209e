#include "core/secret.hpp"

#include "core/error.hpp"
#include "temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <type_traits>

namespace certfleet::core {
namespace {

using certfleet::testing::TempDir;

// Secret has no operator<<, so it cannot be streamed into a log line or a message by accident.
template <class T, class = void>
struct IsStreamable : std::false_type {};
template <class T>
struct IsStreamable<T, std::void_t<decltype(std::declval<std::ostream&>() << std::declval<const T&>())>>
    : std::true_type {};

TEST(Secret, CannotBeWrittenToAStream) {
    static_assert(!IsStreamable<Secret>::value);
    static_assert(IsStreamable<std::string>::value);
}

TEST(Secret, RevealsWhatItHolds) {
    const Secret s("hunter2");
    EXPECT_EQ(s.reveal(), "hunter2");
    EXPECT_FALSE(s.empty());
    EXPECT_TRUE(Secret().empty());
}

TEST(ReadSecretFile, ReadsTheFirstLineWithoutItsLineEnd) {
    const TempDir dir;
    EXPECT_EQ(read_secret_file(dir.write("lf", "correct horse\nsecond line\n")).reveal(), "correct horse");
    EXPECT_EQ(read_secret_file(dir.write("crlf", "changeit\r\n")).reveal(), "changeit");
    EXPECT_EQ(read_secret_file(dir.write("bare", "no newline")).reveal(), "no newline");
}

TEST(ReadSecretFile, KeepsSpacesInsideThePassphrase) {
    const TempDir dir;
    EXPECT_EQ(read_secret_file(dir.write("pw", " a b \n")).reveal(), " a b ");
}

TEST(ReadSecretFile, ReturnsAnEmptySecretForAnEmptyFile) {
    const TempDir dir;
    EXPECT_TRUE(read_secret_file(dir.write("empty", "")).empty());
}

TEST(ReadSecretFile, NamesTheFileItCannotReadAndNotItsContent) {
    const TempDir dir;
    const std::string missing = dir.file("missing");
    try {
        read_secret_file(missing);
        FAIL() << "read a missing file";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        EXPECT_THAT(e.what(), ::testing::HasSubstr(missing));
    }
}

}  // namespace
}  // namespace certfleet::core
