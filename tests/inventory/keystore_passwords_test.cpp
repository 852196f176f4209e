#include "inventory/keystore_passwords.hpp"

#include "core/error.hpp"
#include "core/file.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace certfleet::inventory {
namespace {

namespace fs = std::filesystem;

class PasswordsFile : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "certfleet-pw.XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        m_dir = pattern;
        core::write_file_atomically((m_dir / "jks.pass").string(), "from-file\n", {.mode = 0600});
    }
    void TearDown() override { fs::remove_all(m_dir); }
    std::string write(const std::string& yaml) {
        const std::string path = (m_dir / "passwords.yaml").string();
        core::write_file_atomically(path, yaml, {.overwrite = core::Overwrite::replace});
        return path;
    }
    fs::path m_dir;
};

TEST_F(PasswordsFile, MatchesPathsThenGlobsThenTheDefault) {
    KeystorePasswords passwords =
        KeystorePasswords::from_yaml_file(write("passwords:\n"
                                                "  - path: /opt/app/node.p12\n"
                                                "    password: exact\n"
                                                "  - glob: \"*.jks\"\n"
                                                "    password_file: jks.pass\n"
                                                "  - glob: \"/srv/*/tls.p12\"\n"
                                                "    password: by-dir\n"));
    ASSERT_NE(passwords.password_for("/opt/app/node.p12"), nullptr);
    EXPECT_EQ(passwords.password_for("/opt/app/node.p12")->reveal(), "exact");
    EXPECT_EQ(passwords.password_for("/etc/kafka/server.jks")->reveal(), "from-file");
    EXPECT_EQ(passwords.password_for("/srv/web/tls.p12")->reveal(), "by-dir");
    EXPECT_EQ(passwords.password_for("/opt/app/other.p12"), nullptr);
    passwords.set_default(core::Secret("fallback"));
    EXPECT_EQ(passwords.password_for("/opt/app/other.p12")->reveal(), "fallback");
}

TEST_F(PasswordsFile, AcceptsABareListToo) {
    const auto passwords = KeystorePasswords::from_yaml_file(write("- glob: '*'\n  password: x\n"));
    EXPECT_EQ(passwords.password_for("anything")->reveal(), "x");
}

TEST_F(PasswordsFile, RejectsBadEntriesWithoutPrintingPasswords) {
    try {
        KeystorePasswords::from_yaml_file(write("- glob: '*.p12'\n  path: a.p12\n  password: s3cr3t\n"));
        FAIL() << "expected an error";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_NE(std::string(e.what()).find("entry 1"), std::string::npos);
        EXPECT_EQ(std::string(e.what()).find("s3cr3t"), std::string::npos);
    }
    EXPECT_THROW(KeystorePasswords::from_yaml_file(write("- glob: '*.p12'\n")), core::Error);
    EXPECT_THROW(KeystorePasswords::from_yaml_file(write("passwords: 3\n")), core::Error);
    EXPECT_THROW(KeystorePasswords::from_yaml_file((m_dir / "absent.yaml").string()), core::Error);
}

TEST_F(PasswordsFile, RefusesADirectoryAsInvalidInputNamingIt) {
    // scan --passwords DIR used to exit 70 (an internal error) instead of 2.
    try {
        KeystorePasswords::from_yaml_file(m_dir.string());
        FAIL() << "read a directory as a passwords file";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_NE(std::string(e.what()).find(m_dir.string() + ": is a directory"), std::string::npos)
            << e.what();
    }
}

TEST_F(PasswordsFile, RefusesAPasswordFileThatIsADeviceOrEmpty) {
    core::write_file_atomically((m_dir / "empty.pass").string(), "", {.mode = 0600});
    for (const std::string target : {"/dev/zero", "empty.pass"}) {
        try {
            KeystorePasswords::from_yaml_file(write("- glob: '*'\n  password_file: " + target + "\n"));
            FAIL() << target << " read as a password file";
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
            EXPECT_NE(std::string(e.what()).find(target), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace certfleet::inventory
