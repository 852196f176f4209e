#pragma once

#include "pki/certificate.hpp"
#include "pki/openssl_handles.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::pki {

/// The certificates a verification may end in (trust anchors), held in an OpenSSL X509_STORE.
/// Move-only. It holds only anchors: untrusted intermediates and CRLs are given per verification.
class TrustStore {
public:
    /// Trusts exactly `anchors`. Throws Error(invalid_input) if one cannot be decoded.
    static TrustStore from_certificates(const std::vector<Certificate>& anchors, std::string description);
    /// Trusts every certificate of a PEM/DER bundle file, or of every file directly in a directory
    /// (keys and CRLs in those files are ignored; subdirectories are not read).
    /// Throws Error(not_found) for a missing path, Error(invalid_input) for an unreadable file or one
    /// without any certificate, naming the file.
    static TrustStore from_path(const std::string& path);
    /// Trusts the certificates of several paths (see from_path).
    static TrustStore from_paths(const std::vector<std::string>& paths);
    /// Trusts OpenSSL's default locations (on Debian /etc/ssl/certs, the ca-certificates package),
    /// honouring SSL_CERT_FILE and SSL_CERT_DIR.
    static TrustStore system_default();

    /// Returns the store, for X509_STORE_CTX_init. Borrowed: valid while this TrustStore lives.
    [[nodiscard]] X509_STORE* get() const noexcept { return m_store.get(); }
    /// Returns what the store was built from ("ca.pem (1 certificate)", "system default").
    [[nodiscard]] const std::string& description() const noexcept { return m_description; }

private:
    TrustStore(X509StorePtr store, std::string description)
        : m_store(std::move(store)), m_description(std::move(description)) {}
    X509StorePtr m_store;
    std::string m_description;
};

}  // namespace certfleet::pki
