#pragma once
// The JSON reading the wire codecs share (json_codec.cpp, admin_codec.cpp): a field reader that names the
// path of what is missing or of the wrong type, and parse() for a body.

#include "core/error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace certfleet::api {

/// Reads the fields of one JSON object, naming the path of a field that is missing or of the wrong
/// type ("request body: certificates[1].serial: expected a string").
class FieldReader {
public:
    /// Throws Error(invalid_input) naming `path` if `object` is not a JSON object.
    FieldReader(const nlohmann::json& object, std::string path) : m_object(&object), m_path(std::move(path)) {
        if (!object.is_object()) {
            throw core::Error(core::ErrorCode::invalid_input,
                              fmt::format("{}: expected a JSON object", m_path));
        }
    }

    /// Returns string `field` ("" when absent and not `required`).
    [[nodiscard]] std::string text(const char* field, bool required = true) const {
        const auto it = m_object->find(field);
        if (it == m_object->end() || it->is_null()) {
            if (required) {
                throw core::Error(core::ErrorCode::invalid_input,
                                  fmt::format("{}.{}: missing", m_path, field));
            }
            return {};
        }
        if (!it->is_string()) {
            throw core::Error(core::ErrorCode::invalid_input,
                              fmt::format("{}.{}: expected a string", m_path, field));
        }
        return it->get<std::string>();
    }

    /// Returns integer `field` (0 when absent and not `required`).
    [[nodiscard]] std::int64_t integer(const char* field, bool required = true) const {
        const auto it = m_object->find(field);
        if (it == m_object->end() || it->is_null()) {
            if (required) {
                throw core::Error(core::ErrorCode::invalid_input,
                                  fmt::format("{}.{}: missing", m_path, field));
            }
            return 0;
        }
        if (!it->is_number_integer()) {
            throw core::Error(core::ErrorCode::invalid_input,
                              fmt::format("{}.{}: expected an integer", m_path, field));
        }
        return it->get<std::int64_t>();
    }

    /// Returns boolean `field` (false when absent).
    [[nodiscard]] bool flag(const char* field) const {
        const auto it = m_object->find(field);
        if (it == m_object->end() || it->is_null()) {
            return false;
        }
        if (!it->is_boolean()) {
            throw core::Error(core::ErrorCode::invalid_input,
                              fmt::format("{}.{}: expected true or false", m_path, field));
        }
        return it->get<bool>();
    }

    /// Returns the strings of array `field` (none when absent).
    [[nodiscard]] std::vector<std::string> texts(const char* field) const {
        std::vector<std::string> out;
        for (std::size_t i = 0; const nlohmann::json& item : array(field)) {
            if (!item.is_string()) {
                throw core::Error(core::ErrorCode::invalid_input,
                                  fmt::format("{}.{}[{}]: expected a string", m_path, field, i));
            }
            out.push_back(item.get<std::string>());
            ++i;
        }
        return out;
    }

    /// Returns `read` applied to each object of array `field`.
    template <typename Read>
    auto objects(const char* field, Read read) const {
        std::vector<decltype(read(std::declval<const FieldReader&>()))> out;
        for (std::size_t i = 0; const nlohmann::json& item : array(field)) {
            out.push_back(read(FieldReader(item, fmt::format("{}.{}[{}]", m_path, field, i))));
            ++i;
        }
        return out;
    }

    /// Returns object `field`, or nullptr when absent or null.
    [[nodiscard]] const nlohmann::json* optional_object(const char* field) const {
        const auto it = m_object->find(field);
        return it == m_object->end() || it->is_null() ? nullptr : &*it;
    }

    /// Returns the path of `field` for messages.
    [[nodiscard]] std::string path(const char* field) const { return fmt::format("{}.{}", m_path, field); }

private:
    [[nodiscard]] const nlohmann::json& array(const char* field) const {
        static const nlohmann::json empty = nlohmann::json::array();
        const auto it = m_object->find(field);
        if (it == m_object->end() || it->is_null()) {
            return empty;
        }
        if (!it->is_array()) {
            throw core::Error(core::ErrorCode::invalid_input,
                              fmt::format("{}.{}: expected an array", m_path, field));
        }
        return *it;
    }

    const nlohmann::json* m_object;
    std::string m_path;
};

/// Returns `body` parsed. Throws Error(invalid_input) naming `source` for malformed JSON.
inline nlohmann::json parse(std::string_view body, std::string_view source) {
    nlohmann::json value = nlohmann::json::parse(body, nullptr, false);
    if (value.is_discarded()) {
        throw core::Error(core::ErrorCode::invalid_input, fmt::format("{}: malformed JSON", source));
    }
    return value;
}

}  // namespace certfleet::api
