#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace certfleet::cli {

/// Returns `value` as indented JSON text (what every --json prints), with each string and object key
/// passed through core::escape_invalid_utf8 first: JSON is UTF-8 (RFC 8259 section 8.1), and a file name
/// or certificate field with a stray byte must not erase the report (nlohmann::json would throw).
std::string json_text(const nlohmann::json& value);

}  // namespace certfleet::cli
