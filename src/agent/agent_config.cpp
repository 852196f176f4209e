#include "agent/agent_config.hpp"

#include "agent/node_operation.hpp"
#include "core/error.hpp"
#include "formats/yaml_document.hpp"
#include "pki/private_key.hpp"
#include "pki/subject_alt_names.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace certfleet::agent {
namespace {

using core::Error;
using core::ErrorCode;

using formats::require_known_fields;
using formats::scalar_text;

bool flag(const YAML::Node& node, const std::string& field) {
    const std::string value = scalar_text(node, field);
    if (value != "true" && value != "false") {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: \"{}\" is not true or false", field, value));
    }
    return value == "true";
}

// certificates[].sans: a list of subjectAltNames, each checked.
std::vector<std::string> parse_sans(const YAML::Node& sans, const std::string& at) {
    if (!sans.IsSequence()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}.sans: expected a list of names", at));
    }
    std::vector<std::string> out;
    for (std::size_t j = 0; j < sans.size(); ++j) {
        out.push_back(scalar_text(sans[j], fmt::format("{}.sans[{}]", at, j)));
        static_cast<void>(pki::parse_general_name(out.back(), fmt::format("{}.sans[{}]", at, j)));
    }
    return out;
}

// bootstrap: {token_file: FILE} or {pending_request: true}, one of them.
Bootstrap parse_bootstrap(const YAML::Node& bootstrap,
                          const std::string& where,
                          const std::string& base_directory) {
    require_known_fields(bootstrap, {"token_file", "pending_request"}, where + ": bootstrap");
    const bool pending = bootstrap["pending_request"] &&
                         flag(bootstrap["pending_request"], where + ": bootstrap.pending_request");
    if (pending == static_cast<bool>(bootstrap["token_file"])) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: bootstrap: give one of token_file (a file holding a one-time token) and "
                                "pending_request: true (wait for an operator's approval)",
                                where));
    }
    if (pending) {
        return Bootstrap{.method = BootstrapMethod::pending_request, .token_file = {}};
    }
    return Bootstrap{
        .method = BootstrapMethod::token_file,
        .token_file = formats::path_relative_to(
            base_directory, scalar_text(bootstrap["token_file"], where + ": bootstrap.token_file"))};
}

// operations: {NAME: [ARGV0, ARG...]}: names as is_operation_name, each a non-empty list of words; none
// when absent.
std::map<std::string, std::vector<std::string>> parse_operations(const YAML::Node& node,
                                                                 const std::string& where) {
    if (!node) {
        return {};
    }
    if (!node.IsMap()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: operations: expected a map of names to commands "
                                "({{restart-kudu: [systemctl, restart, kudu-tserver]}})",
                                where));
    }
    std::map<std::string, std::vector<std::string>> operations;
    for (const auto& entry : node) {
        const std::string name = scalar_text(entry.first, where + ": operations");
        const std::string at = fmt::format("{}: operations.{}", where, name);
        if (!is_operation_name(name)) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format(
                    "{}: operations: \"{}\" is not an operation name ([a-z0-9][a-z0-9-_.]*)", where, name));
        }
        const YAML::Node argv = entry.second;
        if (!argv.IsSequence() || argv.size() == 0) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: expected a non-empty list: the command and its arguments, run "
                                    "without a shell ([systemctl, restart, kudu-tserver])",
                                    at));
        }
        std::vector<std::string> words;
        for (std::size_t i = 0; i < argv.size(); ++i) {
            words.push_back(scalar_text(argv[i], fmt::format("{}[{}]", at, i)));
        }
        if (words.front().empty()) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}[0]: the command is empty", at));
        }
        if (!operations.emplace(name, std::move(words)).second) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: listed twice", at));
        }
    }
    return operations;
}

// operation_timeout: a duration longer than 0s; 5 minutes when absent.
core::Seconds parse_operation_timeout(const YAML::Node& node, const std::string& where) {
    if (!node) {
        return core::Seconds{300};
    }
    const std::string field = where + ": operation_timeout";
    const core::Seconds timeout = core::parse_duration(scalar_text(node, field), field);
    if (timeout.count() <= 0) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: must be longer than 0s", field));
    }
    return timeout;
}

// certificates[i]: a name, a deploy spec, and what renewal and first enrollment ask for.
TrackedCertificate parse_tracked_certificate(const YAML::Node& item,
                                             const std::string& at,
                                             const std::string& base_directory) {
    require_known_fields(item, {"name", "deploy", "renew_before", "key_type", "subject", "sans"}, at);
    TrackedCertificate tracked;
    if (!item["name"] || !item["deploy"]) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: name and deploy are required", at));
    }
    tracked.name = scalar_text(item["name"], at + ".name");
    tracked.deploy_spec =
        formats::path_relative_to(base_directory, scalar_text(item["deploy"], at + ".deploy"));
    if (item["renew_before"]) {
        tracked.renew_before = core::parse_duration(scalar_text(item["renew_before"], at + ".renew_before"),
                                                    at + ".renew_before");
    }
    if (item["key_type"]) {
        tracked.key_type = scalar_text(item["key_type"], at + ".key_type");
        static_cast<void>(pki::KeySpec::parse(tracked.key_type, at + ".key_type"));
    }
    if (item["subject"]) {
        tracked.subject = scalar_text(item["subject"], at + ".subject");
    }
    if (const YAML::Node sans = item["sans"]) {
        tracked.sans = parse_sans(sans, at);
    }
    return tracked;
}

}  // namespace

AgentConfig parse_agent_config(std::string_view yaml,
                               std::string_view source,
                               const std::string& base_directory) {
    const YAML::Node root = formats::load_yaml(yaml, source);
    const std::string where(source);
    require_known_fields(
        root,
        {"server", "ca_file", "state_dir", "certificates", "bootstrap", "operations", "operation_timeout"},
        where);
    AgentConfig config;
    if (!root["server"]) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: server: missing (https://HOST:PORT)", where));
    }
    config.server = scalar_text(root["server"], where + ": server");
    if (root["ca_file"]) {
        config.ca_file =
            formats::path_relative_to(base_directory, scalar_text(root["ca_file"], where + ": ca_file"));
    }
    if (root["state_dir"]) {
        config.state_dir =
            formats::path_relative_to(base_directory, scalar_text(root["state_dir"], where + ": state_dir"));
    }
    if (const YAML::Node bootstrap = root["bootstrap"]) {
        config.bootstrap = parse_bootstrap(bootstrap, where, base_directory);
    }
    config.operations = parse_operations(root["operations"], where);
    config.operation_timeout = parse_operation_timeout(root["operation_timeout"], where);
    const YAML::Node list = root["certificates"];
    if (!list || !list.IsSequence() || list.size() == 0) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format("{}: certificates: expected a list of the certificates to keep valid", where));
    }
    for (std::size_t i = 0; i < list.size(); ++i) {
        const YAML::Node item = list[i];
        const std::string at = fmt::format("{}: certificates[{}]", where, i);
        TrackedCertificate tracked = parse_tracked_certificate(item, at, base_directory);
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
