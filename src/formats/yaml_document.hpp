#pragma once
// The reading rules every certfleet YAML file shares (deployment specs, agent configs, keystore
// password lists, host lists): one message for text that is not YAML, every field known or named as
// unknown (a typo such as "on_chnage" is an error, not a silently skipped hook), single values where a
// single value is expected, and paths relative to the file that names them.

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <string>
#include <string_view>

namespace certfleet::formats {

/// Parses `text` read from `source`. Throws Error(invalid_input) "SOURCE: not valid YAML: ..." with
/// yaml-cpp's line and column.
YAML::Node load_yaml(std::string_view text, std::string_view source);

/// Throws Error(invalid_input) naming `field` unless `node` is a mapping whose every key is in `known`;
/// the message names the unknown key and lists the known ones.
void require_known_fields(const YAML::Node& node,
                          std::initializer_list<std::string_view> known,
                          std::string_view field);

/// Returns the single value of `node`. Throws Error(invalid_input) "FIELD: expected a single value" for
/// a list or a mapping.
std::string scalar_text(const YAML::Node& node, std::string_view field);

/// Returns `path` as named in a file whose directory is `base`: absolute paths, "" and "-" (stdin or
/// stdout) unchanged, others joined to `base` and normalised.
std::string path_relative_to(const std::string& base, const std::string& path);

}  // namespace certfleet::formats
