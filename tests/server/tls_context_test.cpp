#include "server/tls_context.hpp"

#include "fixture_files.hpp"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

namespace certfleet::server {
namespace {

using testing::read_fixture;

// A held long-poll must stay small (issue 14: under 40 KB, bench/RESULTS.md "fleet capacity"): OpenSSL
// frees a connection's 17 KB read and write record buffers while it is idle only with RELEASE_BUFFERS.
TEST(TlsContext, ReleasesRecordBuffersOfIdleConnectionsAndKeepsNoSessionCache) {
    const pki::Certificate leaf = pki::Certificate::from_pem(read_fixture("pki/server.pem"), "server.pem");
    const pki::Certificate issuer =
        pki::Certificate::from_pem(read_fixture("pki/intermediate.pem"), "intermediate.pem");
    const pki::PrivateKey key =
        pki::PrivateKey::from_pem(read_fixture("pki/server.key"), "server.key", nullptr);
    const TlsContext tls({.certificate = &leaf, .chain = {&issuer}, .key = &key, .client_trust = {&issuer}});

    EXPECT_NE(SSL_CTX_get_mode(tls.get()) & SSL_MODE_RELEASE_BUFFERS, 0U);
    EXPECT_EQ(SSL_CTX_get_session_cache_mode(tls.get()), SSL_SESS_CACHE_OFF);
    EXPECT_EQ(SSL_CTX_get_min_proto_version(tls.get()), TLS1_2_VERSION);
    const pki::SslPtr connection(SSL_new(tls.get()));  // each connection inherits the mode
    ASSERT_TRUE(connection);
    EXPECT_NE(SSL_get_mode(connection.get()) & SSL_MODE_RELEASE_BUFFERS, 0U);
}

}  // namespace
}  // namespace certfleet::server
