#include "formats/ustar_archive.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "temp_dir.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>

namespace certfleet::formats {
namespace {

using ::testing::HasSubstr;

const core::TimePoint mtime{std::chrono::seconds{1'780'000'000}};

std::vector<ArchiveMember> sample() {
    return {{.name = "cert.pem", .content = "-----BEGIN CERTIFICATE-----\nAA==\n", .mode = 0600},
            {.name = "empty", .content = "", .mode = 0644},
            {.name = "block.bin", .content = std::string(512, 'x'), .mode = 0600},
            {.name = "big.bin", .content = std::string(1300, '\x01'), .mode = 0400}};
}

// Returns the message of the Error(invalid_input) `archive` is refused with.
std::string refusal(const std::string& archive) {
    try {
        static_cast<void>(read_ustar_archive(archive, "node.tar"));
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        return e.what();
    }
    ADD_FAILURE() << "accepted";
    return {};
}

// Sets the header's checksum again after a test changed a field (so that the field is what is refused).
void reseal(std::string& archive, std::size_t header_at) {
    std::fill(archive.begin() + static_cast<std::ptrdiff_t>(header_at + 148),
              archive.begin() + static_cast<std::ptrdiff_t>(header_at + 156),
              ' ');
    unsigned sum = 0;
    for (std::size_t i = 0; i < 512; ++i) {
        sum += static_cast<unsigned char>(archive[header_at + i]);
    }
    const std::string field = fmt::format("{:06o}", sum);
    std::copy(field.begin(), field.end(), archive.begin() + static_cast<std::ptrdiff_t>(header_at + 148));
    archive[header_at + 154] = '\0';
}

std::string run(const std::string& command) {
    std::string out;
    const std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) != nullptr) {
        out += buffer.data();
    }
    return out;
}

TEST(UstarArchive, RoundTripsRegularFilesWithTheirModes) {
    const std::string archive = write_ustar_archive(sample(), {.mtime = mtime});
    EXPECT_EQ(archive.size() % 512, 0U);
    const std::vector<ArchiveMember> members = read_ustar_archive(archive, "node.tar");
    ASSERT_EQ(members.size(), 4U);
    for (std::size_t i = 0; i < members.size(); ++i) {
        EXPECT_EQ(members[i].name, sample()[i].name);
        EXPECT_EQ(members[i].content, sample()[i].content);
        EXPECT_EQ(members[i].mode, sample()[i].mode);
    }
}

TEST(UstarArchive, TheWriterRefusesNamesAndModesTheReaderWouldRefuse) {
    for (const std::string& name :
         std::vector<std::string>{"", "..", "a/b", "/etc/passwd", std::string(101, 'n')}) {
        EXPECT_THROW(static_cast<void>(write_ustar_archive({{.name = name, .content = "x", .mode = 0600}},
                                                           {.mtime = mtime})),
                     core::Error)
            << name;
    }
    EXPECT_THROW(static_cast<void>(
                     write_ustar_archive({{.name = "x", .content = "", .mode = 04755}}, {.mtime = mtime})),
                 core::Error);
    EXPECT_THROW(static_cast<void>(write_ustar_archive({{.name = "x"}, {.name = "x"}}, {.mtime = mtime})),
                 core::Error);
}

TEST(UstarArchive, ATruncatedArchiveIsRefused) {
    const std::string archive = write_ustar_archive(sample(), {.mtime = mtime});
    EXPECT_THAT(refusal(archive.substr(0, 512 + 10)),
                HasSubstr("node.tar: member 0 \"cert.pem\": size: 33 bytes, beyond the end"));
    EXPECT_THAT(refusal(archive.substr(0, 1024)), HasSubstr("node.tar: truncated"));
    EXPECT_THAT(refusal(archive.substr(0, 300)), HasSubstr("truncated"));
    EXPECT_THAT(refusal(""), HasSubstr("truncated"));
}

TEST(UstarArchive, ASizeBeyondTheEndIsRefusedNamingTheMember) {
    std::string archive =
        write_ustar_archive({{.name = "key.pem", .content = "k", .mode = 0600}}, {.mtime = mtime});
    const std::string size = fmt::format("{:011o}", 5000);
    std::copy(size.begin(), size.end(), archive.begin() + 124);
    reseal(archive, 0);
    EXPECT_THAT(refusal(archive),
                HasSubstr("member 0 \"key.pem\": size: 5000 bytes, beyond the end of the archive"));
}

TEST(UstarArchive, ABadChecksumIsRefused) {
    std::string archive = write_ustar_archive(sample(), {.mtime = mtime});
    archive[5] = 'X';  // in the name, after the checksum was computed
    EXPECT_THAT(refusal(archive), HasSubstr("node.tar: member 0: chksum:"));
}

TEST(UstarArchive, ASymlinkADirectoryAndAHardLinkAreRefused) {
    for (const auto& [type, words] :
         {std::pair{'2', "a symbolic link"}, std::pair{'5', "a directory"}, std::pair{'1', "a hard link"}}) {
        std::string archive =
            write_ustar_archive({{.name = "cert.pem", .content = "", .mode = 0600}}, {.mtime = mtime});
        archive[156] = type;
        reseal(archive, 0);
        EXPECT_THAT(refusal(archive), HasSubstr(fmt::format("member 0 \"cert.pem\": typeflag: {}", words)));
    }
}

TEST(UstarArchive, DotDotAbsoluteAndDirectoryNamesAreRefused) {
    for (const std::string name : {"../../etc/cron.d/x", "/etc/passwd", "dir/cert.pem", ".."}) {
        std::string archive =
            write_ustar_archive({{.name = "placeholder", .content = "x", .mode = 0600}}, {.mtime = mtime});
        std::fill(archive.begin(), archive.begin() + 100, '\0');
        std::copy(name.begin(), name.end(), archive.begin());
        reseal(archive, 0);
        EXPECT_THAT(refusal(archive), HasSubstr(fmt::format("member 0 \"{}\": name:", name))) << name;
    }
}

TEST(UstarArchive, SpecialModeBitsATooLargeMemberAndDataAfterTheEndAreRefused) {
    std::string archive =
        write_ustar_archive({{.name = "run", .content = "x", .mode = 0755}}, {.mtime = mtime});
    archive[100 + 3] = '4';  // 0004755: setuid
    reseal(archive, 0);
    EXPECT_THAT(refusal(archive), HasSubstr("member 0 \"run\": mode: 4755"));

    const std::string big = write_ustar_archive(
        {{.name = "big", .content = std::string(4096, 'b'), .mode = 0600}}, {.mtime = mtime});
    EXPECT_THROW(
        static_cast<void>(read_ustar_archive(big, "big.tar", {.max_members = 4, .max_member_size = 1024})),
        core::Error);

    std::string trailing = write_ustar_archive(sample(), {.mtime = mtime});
    trailing.back() = 'z';
    EXPECT_THAT(refusal(trailing), HasSubstr("data after the end-of-archive block"));
}

TEST(UstarArchive, GnuTarListsOursWithTheirModes) {
    const testing::TempDir dir;
    const std::string path = dir.file("ours.tar");
    core::write_file_atomically(path, write_ustar_archive(sample(), {.mtime = mtime}), {.mode = 0600});
    const std::string listing = run("tar -tvf " + path + " 2>&1");
    EXPECT_THAT(listing, ::testing::Not(HasSubstr("tar:"))) << listing;  // no warning
    // "-rw------- 0/0  35 2026-05-28 20:26 cert.pem": mode, owner, size and name of each member.
    std::istringstream lines(listing);
    std::vector<std::string> seen;
    for (std::string line; std::getline(lines, line);) {
        std::istringstream words(line);
        std::string mode;
        std::string owner;
        std::string size;
        std::string day;
        std::string time;
        std::string name;
        words >> mode >> owner >> size >> day >> time >> name;
        seen.push_back(fmt::format("{} {} {} {}", mode, owner, size, name));
    }
    EXPECT_THAT(seen,
                ::testing::ElementsAre("-rw------- 0/0 33 cert.pem",
                                       "-rw-r--r-- 0/0 0 empty",
                                       "-rw------- 0/0 512 block.bin",
                                       "-r-------- 0/0 1300 big.bin"));
    EXPECT_EQ(run("tar -xOf " + path + " big.bin | wc -c"), "1300\n");
}

TEST(UstarArchive, ReadsWhatGnuTarWrites) {
    const testing::TempDir dir;
    dir.write("cert.pem", "certificate\n");
    dir.write("key.pem", std::string(700, 'k'));
    run(fmt::format("chmod 600 {0}/key.pem && chmod 644 {0}/cert.pem", dir.path().string()));
    for (const std::string format : {"", "--format=ustar ", "--format=gnu "}) {
        const std::string tar = dir.file("gnu.tar");
        run(fmt::format(
            "cd {} && rm -f gnu.tar && tar {}-cf gnu.tar cert.pem key.pem", dir.path().string(), format));
        const std::vector<ArchiveMember> members = read_ustar_archive(core::read_file(tar), tar);
        ASSERT_EQ(members.size(), 2U) << format;
        EXPECT_EQ(members[0].name, "cert.pem");
        EXPECT_EQ(members[0].content, "certificate\n");
        EXPECT_EQ(members[0].mode, 0644U);
        EXPECT_EQ(members[1].name, "key.pem");
        EXPECT_EQ(members[1].content, std::string(700, 'k'));
        EXPECT_EQ(members[1].mode, 0600U);
    }
    // A directory entry, as `tar -cf x.tar DIR` writes one, is refused.
    run(fmt::format("cd {} && mkdir -p d && tar -cf dir.tar d", dir.path().string()));
    EXPECT_THAT(refusal(core::read_file(dir.file("dir.tar"))), HasSubstr("typeflag: a directory"));
    // So is a symlink.
    run(fmt::format("cd {} && ln -sf /etc/shadow link && tar -cf link.tar link", dir.path().string()));
    EXPECT_THAT(refusal(core::read_file(dir.file("link.tar"))), HasSubstr("typeflag: a symbolic link"));
}

}  // namespace
}  // namespace certfleet::formats
