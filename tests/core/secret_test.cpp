#include "core/secret.hpp"

#include "core/error.hpp"
#include "temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

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

// Expects read_secret_file(path) to fail with `code`, naming the file and saying `words`.
void expect_refused(const std::string& path, ErrorCode code, const std::string& words) {
    try {
        read_secret_file(path);
        FAIL() << path << ": read as a secret";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), code);
        EXPECT_THAT(e.what(), ::testing::HasSubstr(path));
        EXPECT_THAT(e.what(), ::testing::HasSubstr(words));
    }
}

TEST(ReadSecretFile, RefusesAnEmptyFileUnlessAnEmptySecretIsAskedFor) {
    const TempDir dir;
    expect_refused(dir.write("empty", ""), ErrorCode::invalid_input, "is empty");
    expect_refused(dir.write("blank_line", "\nsecond line"), ErrorCode::invalid_input, "is empty");
    EXPECT_TRUE(read_secret_file(dir.file("empty"), {.allow_empty = true}).empty());
}

TEST(ReadSecretFile, RefusesADirectoryADeviceAndAFileTooLargeToBeAPassword) {
    const TempDir dir;
    expect_refused(dir.path().string(), ErrorCode::invalid_input, "is a directory");
    expect_refused("/dev/zero", ErrorCode::invalid_input, "not a regular file");
    expect_refused(
        dir.write("big", std::string(max_secret_file_size + 1, 'x')), ErrorCode::invalid_input, "limit");
}

TEST(ReadSecretFile, ReadsAPipeAndDoesNotWaitForAFifoWithoutWriter) {
    const TempDir dir;
    const std::string fifo = dir.file("fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    expect_refused(fifo, ErrorCode::invalid_input, "is empty");
    std::array<int, 2> ends{};
    ASSERT_EQ(::pipe(ends.data()), 0);
    ASSERT_EQ(::write(ends[1], "from a command\n", 15), 15);
    ::close(ends[1]);
    EXPECT_EQ(read_secret_file("/proc/self/fd/" + std::to_string(ends[0])).reveal(), "from a command");
    ::close(ends[0]);
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
