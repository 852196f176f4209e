#pragma once

#include "pki/bytes.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::pki {

/// One "-----BEGIN LABEL-----" ... "-----END LABEL-----" block.
struct PemBlock {
    std::string label;      ///< "CERTIFICATE", "PRIVATE KEY", ...
    Bytes der;              ///< the decoded body
    std::string text;       ///< the block as written, BEGIN to END (legacy encrypted keys need headers)
    std::size_t index = 0;  ///< 1-based position among the blocks of the source
    std::size_t line = 0;   ///< 1-based line of the BEGIN line
};

/// Returns true if `text` holds a PEM BEGIN line, plain or URL-encoded.
bool contains_pem(std::string_view text);

/// Returns every PEM block in `text`, in order. Lenient about what surrounds and separates blocks:
/// CRLF, missing final newline, text before/after/between blocks (e.g. `openssl x509 -text` output),
/// RFC 7468 encapsulated headers, and URL-encoded PEM (CloudStack's API form, `%2B`/`%0A`/`+`).
/// Throws Error(invalid_input) naming `source`, the block number and the line on bad base64, a missing
/// END line or an END label that does not match its BEGIN.
std::vector<PemBlock> read_pem_blocks(std::string_view text, std::string_view source);

/// Returns `der` as PEM with `label`, 64 columns, LF line ends.
std::string write_pem(std::string_view label, const Bytes& der);

}  // namespace certfleet::pki
