#pragma once

#include "pki/certificate.hpp"
#include "pki/openssl_handles.hpp"
#include "pki/private_key.hpp"

#include <memory>
#include <vector>

namespace certfleet::server {

/// What the server presents and whom it accepts client certificates from.
struct TlsSettings {
    const pki::Certificate* certificate = nullptr;  ///< the server's own leaf
    std::vector<const pki::Certificate*> chain;     ///< its issuers up to (not including) the root
    const pki::PrivateKey* key = nullptr;
    std::vector<const pki::Certificate*> client_trust;  ///< CA certificates client certificates chain to
};

/// An OpenSSL server context: TLS 1.2 and 1.3 only, no compression or renegotiation, buffers released
/// while a connection is idle (SSL_MODE_RELEASE_BUFFERS: a held long-poll keeps no 17 KB record buffers),
/// client certificates asked for (not required: routes decide) and verified against `client_trust`.
/// Immutable once built; the server swaps in a new one when its certificate is renewed.
class TlsContext {
public:
    /// Builds the context. Throws Error(invalid_input) when the key does not match the certificate.
    explicit TlsContext(const TlsSettings& settings);

    /// Returns the SSL_CTX to make connections from (SSL_new takes its own reference).
    [[nodiscard]] SSL_CTX* get() const noexcept { return m_context.get(); }

private:
    pki::SslCtxPtr m_context;
};

}  // namespace certfleet::server
