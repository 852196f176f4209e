#include "core/file.hpp"

#include "core/error.hpp"
#include "temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/file.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

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

TEST(WriteFileAtomically, WritesIntoADeviceOrAPipeInsteadOfReplacingIt) {
    // `crl generate --out /dev/null` as root once renamed a regular file over /dev/null.
    write_file_atomically("/dev/null", "discarded", {.overwrite = Overwrite::replace});
    struct stat st {};
    ASSERT_EQ(::stat("/dev/null", &st), 0);
    EXPECT_TRUE(S_ISCHR(st.st_mode));
    write_file_atomically("/dev/null", "discarded", {.overwrite = Overwrite::refuse});

    const TempDir dir;
    const std::string fifo = dir.file("fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    std::string received;
    std::thread reader([&] {  // opening a FIFO to read blocks until the writer opens it
        std::ifstream in(fifo);
        received.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    });
    write_file_atomically(fifo, "through the pipe", {.overwrite = Overwrite::replace});
    reader.join();
    EXPECT_EQ(received, "through the pipe");
    ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
    EXPECT_TRUE(S_ISFIFO(st.st_mode));
    EXPECT_THAT(dir.entries(), ElementsAre("fifo"));
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

// Expects `call` to throw Error(code) with `words` in the message.
template <typename Call>
void expect_error(Call&& call, ErrorCode code, const std::string& words) {
    try {
        call();
        FAIL() << "no error; expected one saying " << words;
    } catch (const Error& e) {
        EXPECT_EQ(e.code(), code) << e.what();
        EXPECT_THAT(e.what(), HasSubstr(words));
    }
}

TEST(ReadFile, RefusesAFifoAtOnceInsteadOfWaitingForAWriter) {
    const TempDir dir;
    const std::string fifo = dir.file("fifo");
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    expect_error(
        [&] { read_file(fifo); }, ErrorCode::invalid_input, fifo + ": is not a regular file (a FIFO)");
}

TEST(ReadFile, RefusesADeviceThatWouldNeverEnd) {
    expect_error([] { read_file("/dev/zero"); },
                 ErrorCode::invalid_input,
                 "/dev/zero: is not a regular file (a character device)");
}

TEST(ReadFile, SaysSymbolicLinkLoopRatherThanNoSuchFile) {
    const TempDir dir;
    std::filesystem::create_symlink(dir.file("b"), dir.file("a"));
    std::filesystem::create_symlink(dir.file("a"), dir.file("b"));
    expect_error(
        [&] { read_file(dir.file("a")); }, ErrorCode::invalid_input, dir.file("a") + ": symbolic link loop");
}

TEST(ReadFile, ReadsAPipeOnlyWhenAskedAndWithinTheLimit) {
    std::array<int, 2> ends{};
    ASSERT_EQ(::pipe(ends.data()), 0);
    ASSERT_EQ(::write(ends[1], "pw\n", 3), 3);
    ::close(ends[1]);
    const std::string path = "/proc/self/fd/" + std::to_string(ends[0]);
    expect_error([&] { read_file(path); }, ErrorCode::invalid_input, "(a FIFO)");
    EXPECT_EQ(read_file(path, {.max_size = 16, .pipes = PipeInput::accept}), "pw\n");
    ::close(ends[0]);
}

TEST(ListFiles, ListsRegularFilesSortedAndReportsLinkLoopsInsteadOfSkippingThem) {
    const TempDir dir;
    std::filesystem::create_directories(dir.path() / "sub" / "deeper");
    dir.write("b.pem", "b");
    dir.write("a.pem", "a");
    dir.write("sub/deeper/c.pem", "c");
    std::filesystem::create_symlink(dir.file("loop2"), dir.file("loop1"));
    std::filesystem::create_symlink(dir.file("loop1"), dir.file("loop2"));
    std::filesystem::create_symlink(dir.file("missing"), dir.file("dangling"));
    std::filesystem::create_directory_symlink(dir.path() / "sub", dir.path() / "sub_link");

    const DirectoryListing flat = list_files(dir.path().string(), Recursion::no);
    EXPECT_THAT(flat.files, ElementsAre(dir.file("a.pem"), dir.file("b.pem")));
    const DirectoryListing deep = list_files(dir.path().string(), Recursion::yes);
    EXPECT_THAT(deep.files, ElementsAre(dir.file("a.pem"), dir.file("b.pem"), dir.file("sub/deeper/c.pem")));
    ASSERT_EQ(deep.unreadable.size(), 2U);
    EXPECT_EQ(deep.unreadable[0].path, dir.file("loop1"));
    EXPECT_EQ(deep.unreadable[0].reason, "symbolic link loop");
}

TEST(ListFiles, ReportsADirectoryThatCannotBeListed) {
    const DirectoryListing listing = list_files("/nonexistent-certfleet-dir", Recursion::yes);
    EXPECT_TRUE(listing.files.empty());
    ASSERT_EQ(listing.unreadable.size(), 1U);
    EXPECT_THAT(listing.unreadable[0].reason, HasSubstr("cannot list"));
}

// Makes `path` look as if it was last written an hour ago.
void age_by_an_hour(const std::string& path) {
    const auto old = std::filesystem::file_time_type::clock::now() - std::chrono::hours(1);
    std::filesystem::last_write_time(path, old);
}

TEST(WriteFileAtomically, RemovesTemporaryFilesThatKilledWritersLeftInTheDirectory) {
    const TempDir dir;
    const std::string stale = dir.write(".node1.pem.tmp-0badf00d", "half a key");
    const std::string other_target = dir.write(".ca.pem.tmp-12345678", "half a chain");
    const std::string fresh = dir.write(".node2.pem.tmp-00c0ffee", "being written right now");
    const std::string not_ours = dir.write(".node1.pem.tmp-backup", "someone else's");
    age_by_an_hour(stale);
    age_by_an_hour(other_target);
    age_by_an_hour(not_ours);
    // A writer still at work holds its lock, however old its file looks.
    const std::string locked = dir.write(".node3.pem.tmp-abcdef01", "slow disk");
    age_by_an_hour(locked);
    const int held = ::open(locked.c_str(), O_RDONLY);
    ASSERT_GE(held, 0);
    ASSERT_EQ(::flock(held, LOCK_EX), 0);

    write_file_atomically(dir.file("node1.pem"), "new", {});

    EXPECT_FALSE(std::filesystem::exists(stale));
    EXPECT_FALSE(std::filesystem::exists(other_target));
    EXPECT_TRUE(std::filesystem::exists(fresh));
    EXPECT_TRUE(std::filesystem::exists(not_ours));
    EXPECT_TRUE(std::filesystem::exists(locked));
    ::close(held);
    EXPECT_EQ(read_file(dir.file("node1.pem")), "new");
}

}  // namespace
}  // namespace certfleet::core
