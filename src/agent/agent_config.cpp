#include "agent/agent_config.hpp"

#include "core/error.hpp"
#include "pki/private_key.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <set>

namespace certfleet::agent {
namespace {

using core::Error;
using core::ErrorCode;

void refuse_unknown(const YAML::Node& node, const std::set<std::string>& known, const std::string& where) {
    for (const auto& item : node) {
        const std::string key = item.first.as<std::string>();
        if (!known.contains(key)) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: unknown field \"{}\"", where, key));
        }
    }
}

std::string text(const YAML::Node& node, const std::string& where) {
    if (!node.IsScalar()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: expected text", where));
    }
    return node.as<std::string>();
}

std::string path_from(const std::string& base, const std::string& path) {
    return path.empty() || std::filesystem::path(path).is_absolute()
               ? path
               : (std::filesystem::path(base) / path).string();
}

}  // namespace

AgentConfig parse_agent_config(std::string_view yaml,
                               std::string_view source,
                               const std::string& base_directory) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: not YAML: {}", source, e.msg));
    }
    const std::string where(source);
    if (!root.IsMap()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: expected a mapping", where));
    }
    refuse_unknown(root, {"server", "ca_file", "state_dir", "certificates"}, where);
    AgentConfig config;
    if (!root["server"]) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: server: missing (https://HOST:PORT)", where));
    }
    config.server = text(root["server"], where + ": server");
    if (root["ca_file"]) {
        config.ca_file = path_from(base_directory, text(root["ca_file"], where + ": ca_file"));
    }
    if (root["state_dir"]) {
        config.state_dir = path_from(base_directory, text(root["state_dir"], where + ": state_dir"));
    }
    const YAML::Node list = root["certificates"];
    if (!list || !list.IsSequence() || list.size() == 0) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{}: certificates: expected a list of the certificates to keep valid", where));
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node item = list[i];
        const std::string at = fmt::format("{}: certificates[{}]", where, i);
        if (!item.IsMap()) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: expected a mapping", at));
        }
        refuse_unknown(item, {"name", "deploy", "renew_before", "key_type"}, at);
        TrackedCertificate tracked;
        if (!item["name"] || !item["deploy"]) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: name and deploy are required", at));
        }
        tracked.name = text(item["name"], at + ".name");
        tracked.deploy_spec = path_from(base_directory, text(item["deploy"], at + ".deploy"));
        if (item["renew_before"]) {
            tracked.renew_before =
                core::parse_duration(text(item["renew_before"], at + ".renew_before"), at + ".renew_before");
        }
        if (item["key_type"]) {
            tracked.key_type = text(item["key_type"], at + ".key_type");
            static_cast<void>(pki::KeySpec::parse(tracked.key_type, at + ".key_type"));
        }
        if (std::any_of(config.certificates.begin(),
                        config.certificates.end(),
                        [&](const TrackedCertificate& t) { return t.name == tracked.name; })) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}.name: \"{}\" is listed twice", at, tracked.name));
        }
        config.certificates.push_back(std::move(tracked));
    }
    return config;
}

}  // namespace certfleet::agent
