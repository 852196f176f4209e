#include "server/tls_context.hpp"

#include "core/error.hpp"

#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace certfleet::server {
namespace {

using core::ErrorCode;

// An expired leaf, or one without the clientAuth extended key usage (a server-only certificate), is let
// through the handshake so that the HTTP layer can answer 401 with a message saying which
// (client_authentication.cpp refuses it on every route): a bare handshake failure tells an operator
// nothing. Every other failure (another CA, a bad signature, an expired CA) ends the handshake. No
// exception can leave this C callback.
int verify_client(int ok, X509_STORE_CTX* context) noexcept {
    if (ok == 0 && X509_STORE_CTX_get_error_depth(context) == 0) {
        const int error = X509_STORE_CTX_get_error(context);
        if (error == X509_V_ERR_CERT_HAS_EXPIRED || error == X509_V_ERR_INVALID_PURPOSE) {
            return 1;
        }
    }
    return ok;
}

}  // namespace

TlsContext::TlsContext(const TlsSettings& settings) : m_context(SSL_CTX_new(TLS_server_method())) {
    SSL_CTX* ctx = m_context.get();
    if (ctx == nullptr) {
        pki::throw_openssl_error(ErrorCode::internal, "TLS: SSL_CTX_new");
    }
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx,
                        SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE);
    // Session resumption by tickets only (stateless): a server-side cache would grow with every client.
    SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
    if (SSL_CTX_use_certificate(ctx, settings.certificate->x509()) != 1) {
        pki::throw_openssl_error(ErrorCode::invalid_input, "TLS: the server certificate");
    }
    for (const pki::Certificate* issuer : settings.chain) {
        if (SSL_CTX_add1_chain_cert(ctx, issuer->x509()) != 1) {
            pki::throw_openssl_error(ErrorCode::invalid_input, "TLS: the server chain");
        }
    }
    if (SSL_CTX_use_PrivateKey(ctx, settings.key->get()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        pki::throw_openssl_error(ErrorCode::invalid_input,
                                 "TLS: the server key does not match its certificate");
    }
    if (!settings.client_trust.empty()) {
        X509_STORE* store = SSL_CTX_get_cert_store(ctx);
        for (const pki::Certificate* ca : settings.client_trust) {
            if (X509_STORE_add_cert(store, ca->x509()) != 1) {
                pki::throw_openssl_error(ErrorCode::internal, "TLS: client trust");
            }
            if (SSL_CTX_add_client_CA(ctx, ca->x509()) != 1) {
                pki::throw_openssl_error(ErrorCode::internal, "TLS: client CA list");
            }
        }
        // Nodes present their leaf alone; the issuing CA (an intermediate) is an anchor of its own.
        X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
        SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE, verify_client);
        SSL_CTX_set_verify_depth(ctx, 4);
    }
}

}  // namespace certfleet::server
