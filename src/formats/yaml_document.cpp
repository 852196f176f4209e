#include "formats/yaml_document.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace certfleet::formats {

using core::Error;
using core::ErrorCode;

YAML::Node load_yaml(std::string_view text, std::string_view source) {
    try {
        return YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: not valid YAML: {}", source, e.what()));
    }
}

void require_known_fields(const YAML::Node& node,
                          std::initializer_list<std::string_view> known,
                          std::string_view field) {
    if (!node.IsMap()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: expected a mapping", field));
    }
    for (const auto& item : node) {
        const auto key = item.first.as<std::string>();
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("{}: unknown field \"{}\" (known: {})", field, key, fmt::join(known, ", ")));
        }
    }
}

std::string scalar_text(const YAML::Node& node, std::string_view field) {
    if (!node.IsScalar()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: expected a single value", field));
    }
    return node.as<std::string>();
}

std::string path_relative_to(const std::string& base, const std::string& path) {
    if (path.empty() || path == "-" || std::filesystem::path(path).is_absolute()) {
        return path;
    }
    return (std::filesystem::path(base) / path).lexically_normal().string();
}

}  // namespace certfleet::formats
