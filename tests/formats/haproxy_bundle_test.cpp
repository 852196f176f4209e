#include "formats/haproxy_bundle.hpp"

#include "core/error.hpp"
#include "formats/certified_key_reader.hpp"
#include "formats/fixtures.hpp"

#include <gtest/gtest.h>

namespace certfleet::formats {
namespace {

using testing::pki_fixture;
using testing::server_bundle;

TEST(HaproxyBundle, LeafThenIntermediatesThenKeyWithoutRoot) {
    const std::string pem = make_haproxy_bundle(server_bundle());
    EXPECT_EQ(pem.rfind(pki_fixture("server.pem") + pki_fixture("intermediate.pem"), 0), 0U);
    EXPECT_EQ(pem.find(pki_fixture("root.pem")), std::string::npos);
    EXPECT_NE(pem.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
    const CertifiedKey back = read_certified_key(pem, "bundle", {});
    EXPECT_EQ(back.certificate.der(), server_bundle().certificate.der());
    EXPECT_EQ(back.key->to_pkcs8_der(), server_bundle().key->to_pkcs8_der());
}

TEST(HaproxyBundle, SpliceKeepsTheKeyAndReplacesTheCertificate) {
    const std::string existing = make_haproxy_bundle(server_bundle());
    const CertifiedKey spliced = splice_haproxy_bundle(
        existing, "site.pem", pki::Certificate::from_pem(pki_fixture("expired.pem"), "expired.pem"), {});
    EXPECT_EQ(spliced.certificate.der(), pki::Certificate::from_pem(pki_fixture("expired.pem"), "e").der());
    EXPECT_EQ(spliced.key->to_pkcs8_der(), server_bundle().key->to_pkcs8_der());
    ASSERT_EQ(spliced.chain.size(), 1U);  // the existing intermediate is kept
}

TEST(HaproxyBundle, SpliceRefusesACertificateForAnotherKey) {
    const std::string existing = make_haproxy_bundle(server_bundle());
    try {
        splice_haproxy_bundle(
            existing, "site.pem", pki::Certificate::from_pem(pki_fixture("ed25519.pem"), "ed"), {});
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_NE(
            std::string(e.what()).find("site.pem: the new certificate CN=ed.example.com does not match"),
            std::string::npos)
            << e.what();
    }
}

TEST(HaproxyBundle, NeedsAKey) {
    CertifiedKey no_key = server_bundle();
    no_key.key.reset();
    EXPECT_THROW(make_haproxy_bundle(no_key), core::Error);
}

}  // namespace
}  // namespace certfleet::formats
