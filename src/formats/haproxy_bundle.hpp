#pragma once

#include "formats/certified_key.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::formats {

/// Returns the combined file HAProxy's `crt` reads: the certificate, its intermediates (leaf first),
/// then the private key. The root is left out: clients have it, and sending it wastes bytes.
/// Throws Error(invalid_input) if there is no key.
std::string make_haproxy_bundle(const CertifiedKey& bundle);

/// Replaces the certificate part of an existing combined file (seed 000's manual splice) and keeps its
/// key. `chain` replaces the intermediates when not empty; otherwise the existing ones are kept.
/// Throws Error(invalid_input) naming `source` if the existing file has no key or the new certificate
/// does not match it.
CertifiedKey splice_haproxy_bundle(std::string_view existing,
                                   std::string_view source,
                                   pki::Certificate certificate,
                                   std::vector<pki::Certificate> chain);

}  // namespace certfleet::formats
