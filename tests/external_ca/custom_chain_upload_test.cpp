#include "external_ca/custom_chain_upload.hpp"

#include "authority/ca_key_file.hpp"
#include "core/error.hpp"
#include "fixture_files.hpp"
#include "formats/jks_keystore.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace certfleet::external_ca {
namespace {

using testing::fixture_path;
using testing::read_fixture;

CustomChain chain_with(const std::string& server, const std::string& key) {
    return read_custom_chain({fixture_path("chain/root.pem"),
                              {fixture_path("chain/sub1.pem"), fixture_path("chain/sub2.pem")},
                              fixture_path("chain/" + server),
                              fixture_path("chain/" + key)});
}

class CustomChainUploadTest : public ::testing::Test {
protected:
    CustomChainUploadTest() : m_store(store::open_store("sqlite://" + m_dir.file("certfleet.db"))) {
        std::filesystem::create_directories(m_dir.file("apache"));
    }

    CustomChainUpload request() const {
        return {.name = "cpvm",
                .expected = {.domain_suffix = "cloud.example.com", .at = at(1'900'000'000)},
                .out_dir = m_dir.file("apache"),
                .truststore = m_dir.file("realhostip.keystore"),
                .truststore_password = &m_storepass,
                .key_iterations = 1000};
    }
    static core::TimePoint at(std::int64_t seconds) { return core::TimePoint{std::chrono::seconds{seconds}}; }
    static store::Actor actor(std::int64_t seconds) { return {.name = "test:upload", .at = at(seconds)}; }

    testing::TempDir m_dir;
    std::unique_ptr<store::Store> m_store;
    const core::Secret m_passphrase{"store passphrase"};
    const core::Secret m_storepass{"vmops.com"};
};

TEST_F(CustomChainUploadTest, RecordsTheChainWithTheKeySealedAndWritesApacheFilesAndTruststore) {
    const auto outcome = upload_custom_chain(
        *m_store, chain_with("server.pem", "server.key"), m_passphrase, request(), actor(100));
    ASSERT_TRUE(outcome.verdict.is_clean());
    ASSERT_TRUE(outcome.record.has_value());
    EXPECT_EQ(outcome.record->seq, 1);
    EXPECT_FALSE(outcome.replaced.has_value());
    EXPECT_NE(outcome.record->encrypted_key_pem.find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);
    const pki::PrivateKey key =
        authority::open_ca_key(outcome.record->encrypted_key_pem, m_passphrase, "cpvm");
    EXPECT_TRUE(pki::Certificate::from_pem(read_fixture("chain/server.pem"), "server")
                    .public_key()
                    .matches(key.public_key()));

    EXPECT_EQ(core::read_file(m_dir.file("apache/server.crt")), read_fixture("chain/server.pem"));
    // Issuer order, as Apache sends SSLCertificateChainFile: the server's issuer first, the root last.
    EXPECT_EQ(
        core::read_file(m_dir.file("apache/chain.crt")),
        read_fixture("chain/sub2.pem") + read_fixture("chain/sub1.pem") + read_fixture("chain/root.pem"));
    EXPECT_EQ(std::filesystem::status(m_dir.file("apache/server.key")).permissions() &
                  std::filesystem::perms::group_all,
              std::filesystem::perms::none);
    const auto keystore = formats::JksKeystore::read(
        core::read_file(m_dir.file("realhostip.keystore")), "truststore", m_storepass);
    ASSERT_EQ(keystore.entries().size(), 1U);
    EXPECT_NE(keystore.find("root"), nullptr);

    const CustomChain stored = chain_of(*outcome.record);
    EXPECT_EQ(stored.root.der(), chain_with("server.pem", "server.key").root.der());
    EXPECT_EQ(stored.intermediates.size(), 2U);
}

TEST_F(CustomChainUploadTest, RedoBySameNameReplacesAndKeepsTheOldOneInHistory) {
    upload_custom_chain(
        *m_store, chain_with("server.pem", "server.key"), m_passphrase, request(), actor(100));
    const auto redo = upload_custom_chain(
        *m_store, chain_with("server2.pem", "server2.key"), m_passphrase, request(), actor(200));
    ASSERT_TRUE(redo.record.has_value());
    EXPECT_EQ(redo.record->seq, 2);
    ASSERT_TRUE(redo.replaced.has_value());
    EXPECT_EQ(redo.replaced->seq, 1);

    const auto current = m_store->list_custom_chains({.name = "cpvm", .domain_suffix = "cloud.example.com"});
    ASSERT_EQ(current.size(), 1U);
    EXPECT_EQ(current[0].certificate_pem, read_fixture("chain/server2.pem"));
    const auto history = m_store->list_custom_chains(
        {.name = "cpvm", .domain_suffix = "cloud.example.com", .include_replaced = true});
    ASSERT_EQ(history.size(), 2U);
    EXPECT_EQ(history[1].certificate_pem, read_fixture("chain/server.pem"));
    EXPECT_EQ(history[1].replaced_at, at(200));

    EXPECT_EQ(core::read_file(m_dir.file("apache/server.crt")), read_fixture("chain/server2.pem"));
    bool backed_up = false;
    for (const auto& file : redo.written) {
        backed_up = backed_up || (file.path == m_dir.file("apache/server.crt") && file.backup.has_value());
    }
    EXPECT_TRUE(backed_up);
    const auto keystore = formats::JksKeystore::read(
        core::read_file(m_dir.file("realhostip.keystore")), "truststore", m_storepass);
    EXPECT_EQ(keystore.entries().size(), 1U);  // the root replaced under its alias, not added twice
}

TEST_F(CustomChainUploadTest, RecordsAndWritesNothingWhenACheckFails) {
    const auto outcome = upload_custom_chain(
        *m_store, chain_with("server.pem", "other.key"), m_passphrase, request(), actor(100));
    EXPECT_FALSE(outcome.verdict.is_clean());
    EXPECT_FALSE(outcome.record.has_value());
    EXPECT_TRUE(outcome.written.empty());
    EXPECT_TRUE(m_store->list_custom_chains({.include_replaced = true}).empty());
    EXPECT_FALSE(std::filesystem::exists(m_dir.file("apache/server.crt")));
    EXPECT_FALSE(std::filesystem::exists(m_dir.file("realhostip.keystore")));
}

TEST_F(CustomChainUploadTest, RefusesAWrongTruststorePasswordBeforeRecordingAnything) {
    upload_custom_chain(
        *m_store, chain_with("server.pem", "server.key"), m_passphrase, request(), actor(100));
    const core::Secret wrong{"wrong"};
    CustomChainUpload r = request();
    r.truststore_password = &wrong;
    EXPECT_THROW(
        upload_custom_chain(*m_store, chain_with("server2.pem", "server2.key"), m_passphrase, r, actor(200)),
        core::Error);
    EXPECT_EQ(m_store->list_custom_chains({.include_replaced = true}).size(), 1U);
    EXPECT_EQ(core::read_file(m_dir.file("apache/server.crt")), read_fixture("chain/server.pem"));
}

TEST_F(CustomChainUploadTest, RefusesAMissingOutputDirectoryBeforeRecordingAnything) {
    CustomChainUpload r = request();
    r.out_dir = m_dir.file("no-such-dir");
    EXPECT_THROW(
        upload_custom_chain(*m_store, chain_with("server.pem", "server.key"), m_passphrase, r, actor(1)),
        core::Error);
    EXPECT_TRUE(m_store->list_custom_chains({.include_replaced = true}).empty());
}

TEST_F(CustomChainUploadTest, RefusesAnUploadWithoutNameOrSuffix) {
    CustomChainUpload r = request();
    r.name = "";
    EXPECT_THROW(
        upload_custom_chain(*m_store, chain_with("server.pem", "server.key"), m_passphrase, r, actor(1)),
        core::Error);
    r = request();
    r.expected.domain_suffix = "";
    EXPECT_THROW(
        upload_custom_chain(*m_store, chain_with("server.pem", "server.key"), m_passphrase, r, actor(1)),
        core::Error);
}

}  // namespace
}  // namespace certfleet::external_ca
