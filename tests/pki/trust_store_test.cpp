#include "pki/trust_store.hpp"

#include "core/error.hpp"
#include "pki/chain_verifier.hpp"
#include "pki/fixtures.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace certfleet::pki {
namespace {

using testing::fixture_path;
using testing::load_certificate;

TEST(TrustStore, ReadsABundleFileAndSaysSo) {
    const TrustStore store = TrustStore::from_path(fixture_path("fullchain.pem"));
    EXPECT_EQ(store.description(), fixture_path("fullchain.pem") + " (2 certificates)");
}

TEST(TrustStore, ReadsEveryFileOfADirectory) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "certfleet-trust-store-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(fixture_path("root.pem"), dir / "root.pem");
    std::filesystem::copy_file(fixture_path("verify/self_signed.pem"), dir / "other.pem");
    const TrustStore store = TrustStore::from_path(dir.string());
    EXPECT_EQ(store.description(), dir.string() + " (2 certificates)");
    std::vector<Certificate> chain;
    chain.push_back(load_certificate("intermediate.pem"));
    EXPECT_TRUE(verify_chain(load_certificate("server.pem"), chain, store, {}).is_clean());
    std::filesystem::remove_all(dir);
}

TEST(TrustStore, RejectsAFileWithoutCertificates) {
    try {
        (void)TrustStore::from_path(fixture_path("other.key"));
        FAIL() << "expected an error";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_NE(std::string(e.what()).find("other.key: no certificate to trust"), std::string::npos);
    }
}

TEST(TrustStore, ReportsAMissingPathAsNotFound) {
    try {
        (void)TrustStore::from_path(fixture_path("missing.pem"));
        FAIL() << "expected an error";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::not_found);
    }
}

TEST(TrustStore, LoadsTheSystemDefaultWithoutTrustingOurTestRoot) {
    const TrustStore store = TrustStore::system_default();
    EXPECT_EQ(store.description(), "system default");
    std::vector<Certificate> chain;
    chain.push_back(load_certificate("intermediate.pem"));
    const ChainVerdict verdict = verify_chain(load_certificate("server.pem"), chain, store, {});
    EXPECT_FALSE(verdict.is_clean());
}

}  // namespace
}  // namespace certfleet::pki
