#pragma once

#include "pki/bytes.hpp"

#include <string>

namespace certfleet::pki {

enum class DigestAlgorithm { sha1, sha256 };

/// Returns the digest of `size` bytes at `data`. The EVP_MD is fetched once per process: an implicit
/// fetch per call (EVP_sha256() in EVP_Digest) costs more than hashing a certificate.
Bytes digest(DigestAlgorithm algorithm, const unsigned char* data, std::size_t size);

/// Returns the fingerprint as OpenSSL prints it: upper-case hex pairs joined by ':'.
std::string fingerprint(DigestAlgorithm algorithm, const Bytes& der);

}  // namespace certfleet::pki
