#pragma once

#include <string>
#include <string_view>

namespace certfleet::core {

/// Returns true if `text` is well-formed UTF-8 (RFC 3629 section 4: no overlong forms, no surrogates,
/// nothing above U+10FFFF).
bool is_utf8(std::string_view text);

/// Returns `text` with each byte that is not part of a well-formed UTF-8 sequence written as the four
/// characters "\xNN" (NN its value in upper-case hex), and the rest unchanged. Reports (JSON, Prometheus
/// labels, CSV) pass file names and certificate text through it: one stray byte must not erase a
/// report, and the field itself shows which bytes were not text ("node\xFF.example.com").
std::string escape_invalid_utf8(std::string_view text);

}  // namespace certfleet::core
