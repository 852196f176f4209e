#include "formats/target_file.hpp"

#include "core/error.hpp"
#include "core/file.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sys/stat.h>

namespace certfleet::formats {
namespace {

namespace fs = std::filesystem;

class TargetFileTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("certfleet-target-" + std::to_string(::getpid()));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "backups");
    }
    void TearDown() override { fs::remove_all(m_dir); }
    fs::path m_dir;
};

mode_t mode_of(const fs::path& p) {
    struct stat st {};
    ::stat(p.c_str(), &st);
    return st.st_mode & 07777U;
}

TEST_F(TargetFileTest, KeepsATimestampedBackupOfAReplacedFile) {
    const std::string path = (m_dir / "site.pem").string();
    const core::TimePoint at = std::chrono::sys_days{std::chrono::year{2026} / 3 / 4} + std::chrono::hours(5);
    const TargetWriteOptions options{.backup = {.directory = (m_dir / "backups").string(), .at = at}};
    auto first = write_targets({{path, "old", true}}, options);
    EXPECT_FALSE(first[0].backup);
    EXPECT_EQ(mode_of(path), 0600U);
    auto second = write_targets({{path, "new", true}}, options);
    ASSERT_TRUE(second[0].backup);
    EXPECT_EQ(*second[0].backup, (m_dir / "backups" / "site.pem.20260304T050000Z.bak").string());
    EXPECT_EQ(core::read_file(*second[0].backup), "old");
    EXPECT_EQ(mode_of(*second[0].backup), 0600U);
    EXPECT_EQ(core::read_file(path), "new");
    auto third = write_targets({{path, "newer", true}}, options);  // same second: a distinct name
    EXPECT_EQ(*third[0].backup, (m_dir / "backups" / "site.pem.20260304T050000Z.1.bak").string());
}

TEST_F(TargetFileTest, AMissingDirectoryWritesNothing) {
    const std::string good = (m_dir / "cert.pem").string();
    const std::string bad = (m_dir / "nope" / "key.pem").string();
    EXPECT_THROW(write_targets({{good, "cert"}, {bad, "key", true}}, {}), core::Error);
    EXPECT_FALSE(fs::exists(good));
}

TEST_F(TargetFileTest, ModesFromTheLayoutTheOptionsOrTheDefault) {
    const std::string a = (m_dir / "a").string();
    const std::string b = (m_dir / "b").string();
    const std::string c = (m_dir / "c").string();
    write_targets({{a, "x", true, 0400}, {b, "y"}}, {});
    write_targets({{c, "z", true}}, {.mode = 0640});
    EXPECT_EQ(mode_of(a), 0400U);
    EXPECT_EQ(mode_of(b), 0644U);
    EXPECT_EQ(mode_of(c), 0640U);
}

}  // namespace
}  // namespace certfleet::formats
