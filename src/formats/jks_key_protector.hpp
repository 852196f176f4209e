#pragma once

#include "core/secret.hpp"
#include "pki/bytes.hpp"

#include <string_view>

namespace certfleet::formats {

/// The OID of Sun's proprietary JKS key protection (sun.security.provider.KeyProtector).
inline constexpr std::string_view jks_key_protector_oid = "1.3.6.1.4.1.42.2.17.1.1";

/// Encrypts unencrypted PKCS#8 DER the way a JKS keystore stores a private key, and returns the
/// EncryptedPrivateKeyInfo DER. The scheme (Sun's, not a standard one): a random 20-byte salt; a
/// keystream of chained SHA-1 blocks, the first SHA-1(password as UTF-16BE || salt), each next one
/// SHA-1(password || previous block); the key XORed with it; then SHA-1(password || plain key) as a
/// check. It is weak by today's measure; JKS offers nothing better and old Java needs it.
pki::Bytes protect_jks_key(const pki::Bytes& pkcs8, const core::Secret& password);

/// Reverses protect_jks_key. Throws Error(invalid_input) naming `source`: not a JKS-protected key
/// (another algorithm OID), malformed, or a wrong password (the check digest differs).
/// The returned PKCS#8 is wiped by the caller (see pki::PrivateKey::from_der).
pki::Bytes recover_jks_key(const pki::Bytes& encrypted_der,
                           const core::Secret& password,
                           std::string_view source);

}  // namespace certfleet::formats
