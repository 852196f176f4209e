#include "inventory/keystore_passwords.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "formats/yaml_document.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fnmatch.h>

namespace certfleet::inventory {
namespace {

using core::Error;
using core::ErrorCode;

bool glob_matches(const std::string& glob, std::string_view path) {
    const std::string subject = glob.find('/') == std::string::npos
                                    ? std::filesystem::path(path).filename().string()
                                    : std::string(path);
    return fnmatch(glob.c_str(), subject.c_str(), 0) == 0;
}

KeystorePasswords::Rule read_rule(const YAML::Node& entry, std::size_t index, const std::string& file) {
    const std::string where = fmt::format("{}: entry {}", file, index + 1);
    if (!entry.IsMap()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: is not a map", where));
    }
    KeystorePasswords::Rule rule;
    if (entry["path"]) {
        rule.path = entry["path"].as<std::string>();
    }
    if (entry["glob"]) {
        rule.glob = entry["glob"].as<std::string>();
    }
    if (rule.path.empty() == rule.glob.empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: give exactly one of path or glob", where));
    }
    if (entry["password"] && entry["password_file"]) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: give one of password or password_file, not both", where));
    }
    if (entry["password"]) {
        rule.password = core::Secret(entry["password"].as<std::string>());
    } else if (entry["password_file"]) {
        std::filesystem::path password_file = entry["password_file"].as<std::string>();
        if (password_file.is_relative()) {
            password_file = std::filesystem::path(file).parent_path() / password_file;
        }
        rule.password = core::read_secret_file(password_file.string());
    } else {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: has no password or password_file", where));
    }
    return rule;
}

}  // namespace

KeystorePasswords KeystorePasswords::from_yaml_file(const std::string& path) {
    return from_yaml(core::read_file(path), path);
}

KeystorePasswords KeystorePasswords::from_yaml(std::string_view yaml, const std::string& source) {
    const YAML::Node root = formats::load_yaml(yaml, source);
    const YAML::Node list = root.IsMap() ? root["passwords"] : root;
    if (!list || !list.IsSequence()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: expected a list of {{glob|path, password|password_file}}", source));
    }
    KeystorePasswords out;
    try {
        for (std::size_t i = 0; i < list.size(); ++i) {
            out.add_rule(read_rule(list[i], i, source));
        }
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: {}", source, e.msg));
    }
    return out;
}

const core::Secret* KeystorePasswords::password_for(std::string_view path) const {
    for (const Rule& rule : m_rules) {
        if ((!rule.path.empty() && rule.path == path) ||
            (!rule.glob.empty() && glob_matches(rule.glob, path))) {
            return &rule.password;
        }
    }
    return m_default ? &*m_default : nullptr;
}

}  // namespace certfleet::inventory
