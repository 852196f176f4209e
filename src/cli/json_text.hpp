#pragma once

#include <string>
#include <string_view>

namespace certfleet::cli {

/// Appends `text` to `out` as a JSON string literal (RFC 8259 section 7): quotes, backslashes and control
/// characters escaped, UTF-8 kept as is. A byte that is not part of well-formed UTF-8 is written as the
/// four characters "\xNN" (its value in upper-case hex), so one stray byte in a file name or a
/// certificate field does not make the whole report invalid JSON.
void append_json_string(std::string& out, std::string_view text);

/// Returns `text` as a JSON string literal (append_json_string).
std::string json_string(std::string_view text);

}  // namespace certfleet::cli
