#pragma once

#include "core/secret.hpp"
#include "formats/certified_key.hpp"
#include "pki/certificate.hpp"
#include "pki/private_key.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::formats {

/// What a PKCS#12 file holds.
struct Pkcs12Contents {
    std::optional<pki::PrivateKey> key;
    std::optional<pki::Certificate> certificate;  ///< the certificate of the key, when there is a key
    std::vector<pki::Certificate> chain;          ///< other certificates (CA chain or trusted entries)
    std::string friendly_name;
};

/// Returns true if `bytes` parse as a PKCS#12 PFX structure (no password needed to tell).
bool looks_like_pkcs12(std::string_view bytes);

/// Opens a PKCS#12 file (modern PBES2/AES or legacy 3DES/RC2). Throws Error(invalid_input) naming
/// `source`: not PKCS#12, truncated, or a wrong password (the MAC does not verify).
Pkcs12Contents read_pkcs12(std::string_view bytes, std::string_view source, const core::Secret& password);

/// How a written PKCS#12 file is protected.
enum class Pkcs12Protection {
    modern,  ///< AES-256-CBC with PBKDF2/HMAC-SHA-256 (PBES2), HMAC-SHA-256 MAC: OpenSSL 3 and Java 11.0.12+
    legacy,  ///< 3DES with PKCS#12 KDF/SHA-1, HMAC-SHA-1 MAC: for Java 8 and older clients
};

struct Pkcs12WriteOptions {
    std::string friendly_name;  ///< the alias Java and keytool show
    Pkcs12Protection protection = Pkcs12Protection::modern;
};

/// Returns a PKCS#12 file with the key, its certificate and the chain. Throws Error(invalid_input) if
/// there is no key.
std::string write_pkcs12(const CertifiedKey& bundle,
                         const core::Secret& password,
                         const Pkcs12WriteOptions& options);

}  // namespace certfleet::formats
