#include "inventory/file_scanner.hpp"

#include "core/file.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

namespace certfleet::inventory {
namespace {

namespace fs = std::filesystem;
const fs::path pki_dir = fs::path(CERTFLEET_TEST_DATA) / "pki";

/// A directory tree of good, damaged and keystore files, removed afterwards.
class ScanTree : public ::testing::Test {
protected:
    void SetUp() override {
        std::string pattern = (fs::temp_directory_path() / "certfleet-scan.XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        m_root = pattern;
        fs::create_directories(m_root / "good" / "deeper");
        fs::create_directories(m_root / "bad");
        fs::create_directories(m_root / "keystores");
        copy("server.pem", "good/server.pem");
        copy("fullchain.pem", "good/fullchain.pem");
        copy("server.der", "good/deeper/server.der");
        copy("server.key", "good/server.key");  // a key only: nothing to list, not an error
        copy("bad_base64.pem", "bad/bad_base64.pem");
        copy("truncated.der", "bad/truncated.der");
        copy("no_end.pem", "bad/no_end.pem");
        copy("server.p12", "keystores/node1.p12");
        copy("server_legacy.p12", "keystores/locked.p12");
        m_passwords.add_rule({.path = "",
                              .glob = "node1.p12",
                              .password = core::read_secret_file((pki_dir / "p12pass.txt").string())});
    }
    void TearDown() override { fs::remove_all(m_root); }

    void copy(const std::string& from, const std::string& to) { fs::copy_file(pki_dir / from, m_root / to); }
    std::string at(const std::string& relative) const { return (m_root / relative).string(); }

    fs::path m_root;
    KeystorePasswords m_passwords;
};

TEST_F(ScanTree, ListsEveryCertificateAndEveryUnreadableFileAndGoesOn) {
    const InventoryReport report =
        scan_files({m_root.string()}, {.recursive = true, .passwords = &m_passwords, .workers = 2});

    std::vector<std::string> paths;
    for (const auto& record : report.certificates) {
        paths.push_back(record.path);
    }
    EXPECT_EQ(paths,
              (std::vector<std::string>{at("good/deeper/server.der"),
                                        at("good/fullchain.pem"),
                                        at("good/fullchain.pem"),
                                        at("good/server.pem"),
                                        at("keystores/node1.p12"),
                                        at("keystores/node1.p12")}));
    EXPECT_EQ(report.certificates[1].subject_common_name, "node1.example.com");
    EXPECT_EQ(report.certificates[2].subject_common_name, "certfleet Test Sub CA");
    EXPECT_EQ(report.certificates[4].format, "pkcs12");

    std::vector<std::string> errors;
    for (const auto& error : report.errors) {
        errors.push_back(error.path);
        EXPECT_FALSE(error.reason.empty());
        EXPECT_FALSE(error.reason.starts_with(error.path)) << error.reason;
    }
    EXPECT_EQ(errors,
              (std::vector<std::string>{at("bad/bad_base64.pem"),
                                        at("bad/no_end.pem"),
                                        at("bad/truncated.der"),
                                        at("keystores/locked.p12")}));
    EXPECT_NE(report.errors[0].reason.find("base64"), std::string::npos);
    EXPECT_NE(report.errors[2].reason.find("truncated"), std::string::npos);
    EXPECT_NE(report.errors[3].reason.find("password"), std::string::npos);
    EXPECT_EQ(report.files_read, 5U);
}

TEST_F(ScanTree, GivesTheSameReportWithOneWorkerOrTwo) {
    const FileScanOptions one{.recursive = true, .passwords = &m_passwords, .workers = 1};
    const FileScanOptions two{.recursive = true, .passwords = &m_passwords, .workers = 2};
    const InventoryReport a = scan_files({m_root.string()}, one);
    const InventoryReport b = scan_files({m_root.string()}, two);
    ASSERT_EQ(a.certificates.size(), b.certificates.size());
    for (std::size_t i = 0; i < a.certificates.size(); ++i) {
        EXPECT_EQ(a.certificates[i].location, b.certificates[i].location);
        EXPECT_EQ(a.certificates[i].sha256, b.certificates[i].sha256);
    }
    ASSERT_EQ(a.errors.size(), b.errors.size());
}

TEST_F(ScanTree, ReadsOnlyTheTopLevelWithoutRecursionAndHonoursIncludeGlobs) {
    const InventoryReport flat = scan_files({at("good")}, {.recursive = false});
    EXPECT_EQ(flat.certificates.size(), 3U);  // fullchain (2) + server.pem; deeper/ not read
    const InventoryReport only_der = scan_files({m_root.string()}, {.recursive = true, .include = {"*.der"}});
    ASSERT_EQ(only_der.certificates.size(), 1U);
    EXPECT_EQ(only_der.certificates[0].format, "der");
    EXPECT_EQ(only_der.errors.size(), 1U);  // bad/truncated.der
}

TEST_F(ScanTree, ListsAMissingPathAsAnErrorAndScansTheRest) {
    const InventoryReport report = scan_files({at("nowhere.pem"), at("good/server.pem")}, {});
    ASSERT_EQ(report.errors.size(), 1U);
    EXPECT_EQ(report.errors[0].path, at("nowhere.pem"));
    EXPECT_EQ(report.errors[0].code, core::ErrorCode::not_found);
    EXPECT_EQ(report.certificates.size(), 1U);
}

TEST_F(ScanTree, KeepsTheCertificatesOfABundleWhoseKeyIsEncrypted) {
    core::write_file_atomically(at("good/with_encrypted_key.pem"),
                                core::read_file((pki_dir / "server.pem").string()) +
                                    core::read_file((pki_dir / "key.enc.pem").string()),
                                {});
    const InventoryReport report = scan_files({at("good/with_encrypted_key.pem")}, {});
    EXPECT_TRUE(report.errors.empty());
    ASSERT_EQ(report.certificates.size(), 1U);
    EXPECT_EQ(report.certificates[0].subject_common_name, "node1.example.com");
}

TEST_F(ScanTree, ReportsProgressUpToTheTotal) {
    std::size_t last_done = 0;
    std::size_t total = 0;
    scan_files({m_root.string()}, {.recursive = true, .on_progress = [&](const ScanProgress& p) {
                                       last_done = p.files_done;
                                       total = p.files_total;
                                   }});
    EXPECT_EQ(total, 9U);
    EXPECT_EQ(last_done, total);
}

TEST_F(ScanTree, StreamsFilesInPathOrderThroughAWindowOfOne) {
    // A window of one file: each worker waits for the file before it to be delivered.
    std::vector<std::string> delivered;
    std::atomic<int> processed{0};
    stream_scan({m_root.string()},
                {.recursive = true, .passwords = &m_passwords, .workers = 2, .window = 1},
                {.process =
                     [&](ScannedFile& file) {
                         ++processed;
                         file.text = std::to_string(file.certificates.size());
                     },
                 .deliver =
                     [&](ScannedFile& file) {
                         delivered.push_back(file.path.substr(m_root.string().size() + 1) + "=" +
                                             (file.error ? "error" : file.text));
                     }});
    EXPECT_EQ(delivered,
              (std::vector<std::string>{"bad/bad_base64.pem=error",
                                        "bad/no_end.pem=error",
                                        "bad/truncated.der=error",
                                        "good/deeper/server.der=1",
                                        "good/fullchain.pem=2",
                                        "good/server.key=0",
                                        "good/server.pem=1",
                                        "keystores/locked.p12=error",
                                        "keystores/node1.p12=2"}));
    EXPECT_EQ(processed.load(), 5);  // process sees the files that were read, not the errors
}

TEST_F(ScanTree, StopsTheWorkersWhenDeliveryFails) {
    int delivered = 0;
    EXPECT_THROW(stream_scan({m_root.string()},
                             {.recursive = true, .workers = 2, .window = 2},
                             {.deliver =
                                  [&](ScannedFile&) {
                                      if (++delivered == 3) {
                                          throw core::Error(core::ErrorCode::unavailable, "stdout closed");
                                      }
                                  }}),
                 core::Error);
    EXPECT_EQ(delivered, 3);
}

TEST_F(ScanTree, LeavesOutTheFieldsTheOutputDoesNotNeed) {
    const InventoryReport lean = scan_files(
        {at("good/server.pem")},
        {.detail = {.distinguished_names = false, .subject_alt_names = false, .fingerprint = false}});
    ASSERT_EQ(lean.certificates.size(), 1U);
    const CertificateRecord& record = lean.certificates[0];
    EXPECT_EQ(record.subject_common_name, "node1.example.com");
    EXPECT_TRUE(record.subject.empty());
    EXPECT_TRUE(record.subject_alt_names.empty());
    EXPECT_TRUE(record.sha256.empty());
    EXPECT_FALSE(record.serial_hex.empty());
}

}  // namespace
}  // namespace certfleet::inventory
