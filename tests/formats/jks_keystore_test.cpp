#include "formats/jks_keystore.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"
#include "formats/jks_integrity_digest.hpp"
#include "pki/object_reader.hpp"

#include <gtest/gtest.h>

#include <string>

namespace certfleet::formats {
namespace {

using certfleet::testing::read_fixture;

const core::Secret changeit{"changeit"};

TEST(JksKeystore, ReadsKeytoolKeyAndTrustedEntries) {
    const JksKeystore store =
        JksKeystore::read(read_fixture("formats/keytool_ec.jks"), "keytool_ec.jks", changeit);
    ASSERT_EQ(store.entries().size(), 2U);
    const JksEntry* node = store.find("NODE1");
    ASSERT_NE(node, nullptr);
    const auto& key = std::get<JksPrivateKeyEntry>(*node);
    EXPECT_EQ(key.alias, "node1");  // keytool lower-cases JKS aliases
    ASSERT_EQ(key.chain.size(), 1U);
    EXPECT_EQ(key.chain[0].subject_common_name(), "node1.example.com");
    EXPECT_TRUE(key.key->public_key().matches(key.chain[0].public_key()));
    const JksEntry* root = store.find("root");
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(std::get<JksTrustedCertificateEntry>(*root).certificate.der(),
              pki::read_certificates(read_fixture("pki/root.pem"), "root.pem")[0].der());
}

TEST(JksKeystore, ReadsKeytoolRsaAndImportedChain) {
    const JksKeystore rsa = JksKeystore::read(read_fixture("formats/keytool_rsa.jks"), "rsa.jks", changeit);
    EXPECT_EQ(std::get<JksPrivateKeyEntry>(rsa.entries().at(0)).key->description().algorithm, "RSA");
    const JksKeystore server =
        JksKeystore::read(read_fixture("formats/keytool_server.jks"), "server.jks", changeit);
    const auto& entry = std::get<JksPrivateKeyEntry>(*server.find("node1"));
    ASSERT_EQ(entry.chain.size(), 2U);
    EXPECT_EQ(entry.chain[0].der(), pki::read_certificates(read_fixture("pki/server.pem"), "s")[0].der());
    EXPECT_EQ(entry.chain[1].der(),
              pki::read_certificates(read_fixture("pki/intermediate.pem"), "i")[0].der());
}

TEST(JksKeystore, WrongPasswordIsAClearErrorBeforeAnyKeyIsTouched) {
    try {
        JksKeystore::read(read_fixture("formats/keytool_ec.jks"), "ks.jks", core::Secret("wrong"));
        FAIL() << "read with a wrong password";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::unauthenticated);  // exit 3, as a wrong CA passphrase
        EXPECT_NE(std::string(e.what()).find("ks.jks: wrong keystore password"), std::string::npos)
            << e.what();
    }
}

TEST(JksKeystore, TruncatedAndAlteredFilesAreNamedAsSuch) {
    try {
        JksKeystore::read(read_fixture("formats/truncated.jks"), "t.jks", changeit);
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_NE(std::string(e.what()).find("t.jks: truncated or corrupt at byte"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(JksKeystore::read(read_fixture("formats/flipped.jks"), "f.jks", changeit), core::Error);
    EXPECT_THROW(JksKeystore::read(read_fixture("pki/server.p12"), "p.jks", changeit), core::Error);
}

TEST(JksKeystore, RoundTripsKeysChainsAndTrustedCertificates) {
    const auto server = pki::read_objects(read_fixture("pki/bundle_with_key.pem"), "bundle");
    JksKeystore store;
    std::vector<pki::Certificate> chain;
    chain.push_back(std::get<pki::Certificate>(server[0].object).clone());
    chain.push_back(std::get<pki::Certificate>(server[1].object).clone());
    const auto at = core::TimePoint(std::chrono::seconds(1700000000));
    store.add(
        JksPrivateKeyEntry{
            "Node1.Example.COM", at, std::get<pki::PrivateKey>(server[2].object).clone(), std::move(chain)},
        AliasClash::refuse);
    store.add(
        JksTrustedCertificateEntry{
            "root", at, pki::read_certificates(read_fixture("pki/root.pem"), "r")[0].clone()},
        AliasClash::refuse);
    const core::Secret password("pässwörd 🔑");  // non-ASCII: hashed as UTF-16BE with a surrogate pair
    const std::string bytes = store.to_bytes(password);
    const JksKeystore back = JksKeystore::read(bytes, "mem", password);
    ASSERT_EQ(back.entries().size(), 2U);
    const auto& key = std::get<JksPrivateKeyEntry>(back.entries()[0]);
    EXPECT_EQ(key.alias, "node1.example.com");
    EXPECT_EQ(key.created, at);
    ASSERT_EQ(key.chain.size(), 2U);
    EXPECT_EQ(key.chain[1].der(), std::get<pki::Certificate>(server[1].object).der());
    EXPECT_EQ(key.key->to_pkcs8_der(), std::get<pki::PrivateKey>(server[2].object).to_pkcs8_der());
    EXPECT_THROW(JksKeystore::read(bytes, "mem", changeit), core::Error);
}

TEST(JksKeystore, AliasClashRefusedUnlessReplace) {
    JksKeystore store;
    const auto root = [&] { return pki::read_certificates(read_fixture("pki/root.pem"), "r")[0].clone(); };
    store.add(JksTrustedCertificateEntry{"Root", {}, root()}, AliasClash::refuse);
    try {
        store.add(JksTrustedCertificateEntry{"ROOT", {}, root()}, AliasClash::refuse);
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
    }
    store.add(JksTrustedCertificateEntry{"root", {}, root()}, AliasClash::replace);
    EXPECT_EQ(store.entries().size(), 1U);
}

// Regression: an entry date past 2262 was undefined behaviour (a nanosecond time point overflowed).
TEST(JksKeystore, EntryDatesPastTwentyTwoSixtyTwoRoundTripAndImpossibleOnesAreRefused) {
    JksKeystore store;
    const core::TimePoint far = core::parse_time("3000-01-01T00:00:00Z", "at");
    store.add(
        JksTrustedCertificateEntry{
            "root", far, pki::read_certificates(read_fixture("pki/root.pem"), "r")[0].clone()},
        AliasClash::refuse);
    const std::string good = store.to_bytes(changeit);
    const JksKeystore back = JksKeystore::read(good, "far.jks", changeit);
    EXPECT_EQ(std::get<JksTrustedCertificateEntry>(back.entries()[0]).created, far);
    // magic, version, count, tag, alias "root" (2-byte length + 4), then the 8-byte date in milliseconds
    std::string bad = good.substr(0, good.size() - 20);
    bad.replace(22, 8, std::string(8, '\xff'));
    bad += pki::to_string(jks_integrity_digest(changeit, bad));
    try {
        JksKeystore::read(bad, "hostile.jks", changeit);
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_NE(std::string(e.what()).find("date"), std::string::npos) << e.what();
    }
}

// Hostile structure behind a valid digest (as from someone who knows the password): clear errors only.
TEST(JksKeystore, HostileCountsBehindAValidDigestAreRejected) {
    JksKeystore store;
    store.add(
        JksTrustedCertificateEntry{
            "root", {}, pki::read_certificates(read_fixture("pki/root.pem"), "r")[0].clone()},
        AliasClash::refuse);
    const std::string good = store.to_bytes(changeit);
    const std::string body = good.substr(0, good.size() - 20);
    for (const std::size_t offset : {std::size_t{4}, std::size_t{8}, std::size_t{37}}) {
        std::string bad = body;
        bad.replace(offset, 4, "\xff\xff\xff\xff");
        bad += pki::to_string(jks_integrity_digest(changeit, bad));
        EXPECT_THROW(JksKeystore::read(bad, "hostile.jks", changeit), core::Error) << offset;
    }
}

TEST(JksKeystore, ShowsCertificatesOfAKeyUnderItsOwnPasswordAndKeepsItSealed) {
    const std::string bytes = read_fixture("formats/keypass.jks");  // keytool -destkeypass keypass
    const JksKeystore sealed = JksKeystore::read(bytes, "keypass.jks", changeit);
    const auto& entry = std::get<JksPrivateKeyEntry>(*sealed.find("node1"));
    EXPECT_FALSE(entry.key.has_value()) << "the store password does not open this key";
    ASSERT_EQ(entry.chain.size(), 2U);  // server.p12: the leaf and its intermediate
    EXPECT_EQ(entry.chain[0].subject_common_name(), "node1.example.com");
    // Written back with another entry added, the sealed key is kept byte for byte.
    JksKeystore merged = JksKeystore::read(bytes, "keypass.jks", changeit);
    merged.add(JksTrustedCertificateEntry{"extra", {}, entry.chain[1].clone()}, AliasClash::refuse);
    const core::Secret keypass("keypass");
    const JksKeystore back =
        JksKeystore::read(merged.to_bytes(changeit), "merged", changeit, {.key_password = &keypass});
    const auto& opened = std::get<JksPrivateKeyEntry>(*back.find("node1"));
    ASSERT_TRUE(opened.key.has_value());
    EXPECT_TRUE(opened.key->public_key().matches(opened.chain[0].public_key()));
    const JksKeystore with_password =
        JksKeystore::read(bytes, "keypass.jks", changeit, {.key_password = &keypass});
    EXPECT_TRUE(std::get<JksPrivateKeyEntry>(*with_password.find("node1")).key.has_value());
}

}  // namespace
}  // namespace certfleet::formats
