#include "cli/json_output.hpp"

#include "core/utf8.hpp"

#include <algorithm>

namespace certfleet::cli {
namespace {

/// Returns true if some string or key under `value` is not UTF-8 (the common case is none: no copy).
bool needs_cleaning(const nlohmann::json& value) {
    if (value.is_string()) {
        return !core::is_utf8(value.get_ref<const std::string&>());
    }
    if (value.is_object()) {
        const auto items = value.items();
        return std::any_of(items.begin(), items.end(), [](const auto& item) {
            return !core::is_utf8(item.key()) || needs_cleaning(item.value());
        });
    }
    if (value.is_array()) {
        for (const auto& member : value) {
            if (needs_cleaning(member)) {
                return true;
            }
        }
    }
    return false;
}

nlohmann::json cleaned(const nlohmann::json& value) {
    if (value.is_string()) {
        return core::escape_invalid_utf8(value.get_ref<const std::string&>());
    }
    if (value.is_object()) {
        nlohmann::json out = nlohmann::json::object();
        for (const auto& [key, member] : value.items()) {
            out[core::escape_invalid_utf8(key)] = cleaned(member);
        }
        return out;
    }
    if (value.is_array()) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& member : value) {
            out.push_back(cleaned(member));
        }
        return out;
    }
    return value;
}

}  // namespace

std::string json_text(const nlohmann::json& value) {
    return needs_cleaning(value) ? cleaned(value).dump(2) : value.dump(2);
}

namespace {

// Appends `text` (well-formed UTF-8) with quotes, backslashes and control characters escaped.
void append_escaped(std::string& out, std::string_view text) {
    constexpr std::string_view hex = "0123456789abcdef";
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (c < 0x20) {  // lower-case hex, as nlohmann::json writes it
                    out += "\\u00";
                    out += hex[c >> 4U];
                    out += hex[c & 0x0FU];
                } else {
                    out += ch;
                }
        }
    }
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
    out += '"';
    if (core::is_utf8(text)) {
        append_escaped(out, text);
    } else {
        append_escaped(out, core::escape_invalid_utf8(text));
    }
    out += '"';
}

std::string json_string(std::string_view text) {
    std::string out;
    append_json_string(out, text);
    return out;
}

}  // namespace certfleet::cli
