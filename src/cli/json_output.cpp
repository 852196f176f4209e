#include "cli/json_output.hpp"

#include "core/utf8.hpp"

namespace certfleet::cli {
namespace {

/// Returns true if some string or key under `value` is not UTF-8 (the common case is none: no copy).
bool needs_cleaning(const nlohmann::json& value) {
    if (value.is_string()) {
        return !core::is_utf8(value.get_ref<const std::string&>());
    }
    if (value.is_object()) {
        for (const auto& [key, member] : value.items()) {
            if (!core::is_utf8(key) || needs_cleaning(member)) {
                return true;
            }
        }
        return false;
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

}  // namespace certfleet::cli
