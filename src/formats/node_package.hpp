#pragma once

#include "core/clock.hpp"
#include "formats/certified_key.hpp"

#include <string>
#include <string_view>

namespace certfleet::formats {

/// The offline fallback's package (seed 001: "copy the certificate to the other machine"): a POSIX ustar
/// archive written by `certfleet node package` on the CA host and read by `certfleet agent adopt` on the
/// node. It holds exactly four regular files, each 0600:
///   cert.pem       the node's certificate
///   chain.pem      its issuers up to (not including) the root, as the server sends them
///   key.pem        its private key (PKCS#8)
///   manifest.json  {"format": "certfleet-node-package/1", "node", "serial", "sha256_fingerprint"}
struct NodePackage {
    std::string node;  ///< the node's name, as given to `node package`
    std::string certificate_pem;
    std::string chain_pem;
    std::string key_pem;             ///< a secret: never logged
    std::string serial;              ///< lower-case hex
    std::string sha256_fingerprint;  ///< of the certificate's DER, as OpenSSL prints it (AB:CD:...)
};

/// The manifest's `format` value.
inline constexpr std::string_view node_package_format = "certfleet-node-package/1";

/// Returns the archive of `package` (its serial and fingerprint are taken from the certificate).
/// `mtime` is the members' modification time. Throws Error(invalid_input) if the certificate PEM cannot
/// be read.
std::string write_node_package(const NodePackage& package, core::TimePoint mtime);

/// Reads a package archive. Throws Error(invalid_input) naming `source` and the member and field: not a
/// strict ustar archive of regular files (read_ustar_archive), a member missing or unknown, key.pem not
/// 0600, a manifest that is not this format, or a manifest whose serial or fingerprint is not the
/// certificate's. It does not judge the certificate (names, dates, trust): `agent adopt` does.
NodePackage read_node_package(std::string_view archive, std::string_view source);

/// Returns the package's certificate, key and chain (none when chain_pem is blank).
/// Throws Error(invalid_input) naming `source` for unreadable PEM, a key that does not match the
/// certificate, or a chain out of order.
CertifiedKey certified_key_of(const NodePackage& package, std::string_view source);

}  // namespace certfleet::formats
