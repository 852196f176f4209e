#include "core/file.hpp"

#include "core/error.hpp"
#include "temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sys/stat.h>

namespace certfleet::core {
namespace {

using certfleet::testing::TempDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

mode_t mode_of(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return 0;
    }
    return st.st_mode & 07777;
}

// Sets the process umask for the life of the object.
class ScopedUmask {
public:
    explicit ScopedUmask(mode_t mask) : m_old(::umask(mask)) {}
    ScopedUmask(const ScopedUmask&) = delete;
    ScopedUmask& operator=(const ScopedUmask&) = delete;
    ScopedUmask(ScopedUmask&&) = delete;
    ScopedUmask& operator=(ScopedUmask&&) = delete;
    ~ScopedUmask() { ::umask(m_old); }

private:
    mode_t m_old;
};

TEST(WriteFileAtomically, WritesTheBytesWithTheModeAskedFor) {
    const TempDir dir;
    const std::string path = dir.file("node1.key");
    write_file_atomically(path, "secret bytes", {.mode = 0600});
    EXPECT_EQ(read_file(path), "secret bytes");
    EXPECT_EQ(mode_of(path), 0600U);
}

TEST(WriteFileAtomically, HonoursTheModeDespiteARestrictiveOrPermissiveUmask) {
    const TempDir dir;
    {
        const ScopedUmask umask(0077);
        write_file_atomically(dir.file("public.pem"), "x", {.mode = 0644});
    }
    {
        const ScopedUmask umask(0000);
        write_file_atomically(dir.file("private.key"), "x", {.mode = 0600});
    }
    EXPECT_EQ(mode_of(dir.file("public.pem")), 0644U);
    EXPECT_EQ(mode_of(dir.file("private.key")), 0600U);
}

TEST(WriteFileAtomically, RefusesToReplaceAnExistingFileByDefault) {
    const TempDir dir;
    const std::string path = dir.write("node1.pem", "old");
    try {
        write_file_atomically(path, "new", {});
        FAIL() << "replaced an existing file";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::conflict);
        EXPECT_THAT(e.what(), HasSubstr(path));
    }
    EXPECT_EQ(read_file(path), "old");
    EXPECT_THAT(dir.entries(), ElementsAre("node1.pem"));
}

TEST(WriteFileAtomically, RefusesToReplaceADanglingSymlink) {
    const TempDir dir;
    std::filesystem::create_symlink(dir.file("elsewhere"), dir.file("link"));
    EXPECT_THROW(write_file_atomically(dir.file("link"), "x", {}), Error);
    EXPECT_FALSE(std::filesystem::exists(dir.file("elsewhere")));
}

TEST(WriteFileAtomically, ReplacesWhenAskedAndTakesTheNewMode) {
    const TempDir dir;
    const std::string path = dir.write("node1.pem", "old");
    ::chmod(path.c_str(), 0644);
    write_file_atomically(path, "new", {.mode = 0600, .overwrite = Overwrite::replace});
    EXPECT_EQ(read_file(path), "new");
    EXPECT_EQ(mode_of(path), 0600U);
    EXPECT_THAT(dir.entries(), ElementsAre("node1.pem"));
}

TEST(WriteFileAtomically, SaysTheDirectoryIsMissing) {
    const TempDir dir;
    const std::string path = dir.file("no/such/dir/node1.pem");
    try {
        write_file_atomically(path, "x", {});
        FAIL() << "wrote into a missing directory";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        EXPECT_THAT(e.what(), HasSubstr("does not exist"));
    }
    EXPECT_TRUE(dir.entries().empty());
}

TEST(WriteFileAtomically, LeavesNothingBehindWhenTheFinalRenameFails) {
    const TempDir dir;
    // A directory in the way makes rename() fail after the temporary file was written, even for root.
    std::filesystem::create_directory(dir.file("node1.pem"));
    try {
        write_file_atomically(dir.file("node1.pem"), "x", {.overwrite = Overwrite::replace});
        ADD_FAILURE() << "replaced a directory";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::unavailable);
        EXPECT_THAT(e.what(), HasSubstr("node1.pem"));
    }
    EXPECT_THAT(dir.entries(), ElementsAre("node1.pem"));
    EXPECT_TRUE(std::filesystem::is_directory(dir.file("node1.pem")));
}

TEST(WriteFileAtomically, WritesARelativePathInTheCurrentDirectory) {
    const TempDir dir;
    const auto old = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    EXPECT_NO_THROW(write_file_atomically("plain.txt", "x", {}));
    std::filesystem::current_path(old);
    EXPECT_EQ(read_file(dir.file("plain.txt")), "x");
}

TEST(ReadFile, ReturnsTheBytesIncludingNulBytes) {
    const TempDir dir;
    const std::string bytes("a\0b\r\n", 5);
    EXPECT_EQ(read_file(dir.write("f", bytes)), bytes);
}

// A path the operator typed that does not exist is invalid input (exit 2), not a lookup (4).
TEST(ReadFile, SaysInvalidInputForAMissingFile) {
    const TempDir dir;
    const std::string path = dir.file("missing.pem");
    try {
        read_file(path);
        FAIL() << "read a missing file";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        EXPECT_THAT(e.what(), HasSubstr(path));
    }
}

TEST(ReadFile, RefusesADirectory) {
    const TempDir dir;
    try {
        read_file(dir.path().string());
        FAIL() << "read a directory";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        EXPECT_THAT(e.what(), HasSubstr("directory"));
    }
}

TEST(ReadFile, RefusesAFileLargerThanTheLimit) {
    const TempDir dir;
    const std::string path = dir.write("big", std::string(1000, 'x'));
    EXPECT_EQ(read_file(path, 1000).size(), 1000U);
    try {
        read_file(path, 999);
        FAIL() << "read past the limit";
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), ErrorCode::invalid_input);
        EXPECT_THAT(e.what(), HasSubstr("limit"));
    }
}

TEST(ReadFile, ReadsAnEmptyFileAsEmpty) {
    const TempDir dir;
    EXPECT_EQ(read_file(dir.write("empty", "")), "");
}

}  // namespace
}  // namespace certfleet::core
