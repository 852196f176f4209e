#pragma once

#include "core/secret.hpp"
#include "pki/bytes.hpp"

#include <string_view>

namespace certfleet::formats {

/// Returns the 20-byte digest that closes a JKS file: SHA-1(store password as UTF-16BE ||
/// "Mighty Aphrodite" || every byte before the digest). It proves the password and that the file was
/// not altered (sun.security.provider.JavaKeyStore.getPreKeyedHash).
pki::Bytes jks_integrity_digest(const core::Secret& password, std::string_view contents);

}  // namespace certfleet::formats
