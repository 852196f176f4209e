#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace certfleet::cli {

/// Returns `value` as indented JSON text (what every --json prints), with each string and object key
/// passed through core::escape_invalid_utf8 first: JSON is UTF-8 (RFC 8259 section 8.1), and a file name
/// or certificate field with a stray byte must not erase the report (nlohmann::json would throw).
std::string json_text(const nlohmann::json& value);

/// Appends `text` to `out` as a JSON string literal (RFC 8259 section 7), with the same rule for bytes
/// that are not UTF-8 ("\xNN"): what streaming reports (scan, inspect) write without building a
/// document.
void append_json_string(std::string& out, std::string_view text);

/// Returns `text` as a JSON string literal (append_json_string).
std::string json_string(std::string_view text);

}  // namespace certfleet::cli
