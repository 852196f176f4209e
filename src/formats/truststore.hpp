#pragma once

#include "core/clock.hpp"
#include "core/secret.hpp"
#include "pki/certificate.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::formats {

/// The keystore type of a truststore.
enum class TruststoreType { jks, pkcs12 };

/// Parses "jks" or "pkcs12" (any case). Throws Error(invalid_input) naming `field` and the choices.
TruststoreType parse_truststore_type(std::string_view text, std::string_view field);

struct TruststoreOptions {
    TruststoreType type = TruststoreType::jks;
    std::string alias = "ca";  ///< one certificate: this alias; several: alias-1, alias-2...
    core::TimePoint created;   ///< the entries' date (JKS)
};

/// Returns a keystore holding only trusted certificates (Java's trustedCertEntry). In PKCS#12 each
/// certificate carries Oracle's trusted-key-usage attribute (OID 2.16.840.1.113894.746875.1.1 =
/// anyExtendedKeyUsage), without which Java ignores certificates in a PKCS#12 file.
/// Throws Error(invalid_input) if `certificates` is empty.
std::string make_truststore(const std::vector<const pki::Certificate*>& certificates,
                            const core::Secret& password,
                            const TruststoreOptions& options);

}  // namespace certfleet::formats
