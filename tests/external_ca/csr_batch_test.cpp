#include "external_ca/csr_batch.hpp"

#include "core/error.hpp"
#include "core/file.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <sys/stat.h>

namespace certfleet::external_ca {
namespace {

class CsrBatchTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = std::filesystem::temp_directory_path() /
                ("certfleet-csr-batch-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_dir);
        std::filesystem::create_directories(m_dir);
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }
    std::filesystem::path m_dir;
};

CsrPlan two_hosts() {
    return {pki::KeySpec::parse("ec:p256", "test"),
            {parse_host_flag("node1.example.com,node1", "O=Acme"),
             parse_host_flag("node2.example.com", "O=Acme")}};
}

TEST_F(CsrBatchTest, WritesKeysCsrsAndASummaryThatMatchEachOther) {
    const auto prepared = prepare_csrs(two_hosts());
    write_csr_batch(m_dir.string(), prepared, core::Overwrite::refuse);

    struct stat st {};
    ASSERT_EQ(::stat((m_dir / "node1.example.com.key").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600U);

    const auto manifest = nlohmann::json::parse(core::read_file((m_dir / manifest_file_name).string()));
    ASSERT_EQ(manifest["hosts"].size(), 2U);
    const auto& node1 = manifest["hosts"][0];
    EXPECT_EQ(node1["name"], "node1.example.com");
    EXPECT_EQ(node1["subject"], "CN=node1.example.com,O=Acme");
    EXPECT_EQ(node1["subject_alt_names"], nlohmann::json({"DNS:node1.example.com", "DNS:node1"}));

    const pki::Csr csr =
        pki::Csr::from_pem(core::read_file((m_dir / "node1.example.com.csr").string()), "csr");
    const pki::PrivateKey key = pki::PrivateKey::from_pem(
        core::read_file((m_dir / "node1.example.com.key").string()), "key", nullptr);
    EXPECT_TRUE(csr.has_valid_signature());
    EXPECT_TRUE(csr.public_key().matches(key.public_key()));
    EXPECT_EQ(node1["public_key_sha256"], key.public_key().fingerprint_sha256());
    EXPECT_EQ(csr.requested_extended_key_usage(), (std::vector<std::string>{"serverAuth", "clientAuth"}));
}

TEST_F(CsrBatchTest, RefusesToOverwriteAndLeavesTheDirectoryAsItWas) {
    core::write_file_atomically((m_dir / "node2.example.com.csr").string(), "old", {});
    const auto prepared = prepare_csrs(two_hosts());
    EXPECT_THROW(write_csr_batch(m_dir.string(), prepared, core::Overwrite::refuse), core::Error);
    EXPECT_FALSE(std::filesystem::exists(m_dir / "node1.example.com.key"));
    EXPECT_EQ(core::read_file((m_dir / "node2.example.com.csr").string()), "old");
}

TEST_F(CsrBatchTest, RefusesAMissingDirectory) {
    const auto prepared = prepare_csrs(two_hosts());
    EXPECT_THROW(write_csr_batch((m_dir / "missing").string(), prepared, core::Overwrite::refuse),
                 core::Error);
}

}  // namespace
}  // namespace certfleet::external_ca
