#include "deploy/deployment_spec.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "formats/bundle_targets.hpp"
#include "formats/yaml_document.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <set>

namespace certfleet::deploy {
namespace {

using core::Error;
using core::ErrorCode;
using formats::require_known_fields;

constexpr std::array<std::string_view, 6> piece_names{
    "cert", "key", "public_key", "chain", "fullchain", "ca"};

std::string text_of(const YAML::Node& node, const char* key, const std::string& field) {
    if (!node[key]) {
        return {};
    }
    return formats::scalar_text(node[key], fmt::format("{}.{}", field, key));
}

std::string path_of(const YAML::Node& node,
                    const char* key,
                    const std::string& field,
                    const std::string& base) {
    return formats::path_relative_to(base, text_of(node, key, field));
}

bool flag_of(const YAML::Node& node, const char* key, const std::string& field) {
    if (!node[key]) {
        return false;
    }
    try {
        return node[key].as<bool>();
    } catch (const YAML::Exception&) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}.{}: expected true or false", field, key));
    }
}

core::Seconds duration_of(const YAML::Node& node,
                          const char* key,
                          const std::string& field,
                          core::Seconds fallback) {
    const std::string text = text_of(node, key, field);
    return text.empty() ? fallback : core::parse_duration(text, fmt::format("{}.{}", field, key));
}

std::vector<std::string> argv_of(const YAML::Node& node, const std::string& field) {
    std::vector<std::string> argv;
    if (node.IsScalar()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: give the command as a list of arguments ([systemctl, reload, haproxy]); "
                                "no shell is used",
                                field));
    }
    if (node.IsSequence()) {
        argv = node.as<std::vector<std::string>>();
    }
    if (argv.empty() || argv.front().empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: an empty command", field));
    }
    return argv;
}

SourceSpec parse_source(const YAML::Node& node, const std::string& base) {
    const std::string field = "certificate";
    require_known_fields(
        node,
        {"cert", "key", "chain", "from", "password_file", "key_password_file", "passphrase_file", "alias"},
        field);
    SourceSpec source{.cert = path_of(node, "cert", field, base),
                      .key = path_of(node, "key", field, base),
                      .chain = path_of(node, "chain", field, base),
                      .from = path_of(node, "from", field, base),
                      .password_file = path_of(node, "password_file", field, base),
                      .key_password_file = path_of(node, "key_password_file", field, base),
                      .passphrase_file = path_of(node, "passphrase_file", field, base),
                      .alias = text_of(node, "alias", field)};
    if (source.cert.empty() == source.from.empty()) {
        throw Error(ErrorCode::invalid_input, "certificate: give either cert (with key and chain) or from");
    }
    return source;
}

TargetSpec parse_target(const YAML::Node& node, const std::string& field, const std::string& base) {
    require_known_fields(node,
                         {"format",
                          "path",
                          "files",
                          "owner",
                          "group",
                          "mode",
                          "password_file",
                          "key_password_file",
                          "alias",
                          "keystore",
                          "order",
                          "legacy",
                          "truststore_type",
                          "secret_name",
                          "namespace",
                          "with_ca"},
                         field);
    TargetSpec target{.format = text_of(node, "format", field),
                      .path = path_of(node, "path", field, base),
                      .owner = text_of(node, "owner", field),
                      .group = text_of(node, "group", field),
                      .password_file = path_of(node, "password_file", field, base),
                      .key_password_file = path_of(node, "key_password_file", field, base),
                      .alias = text_of(node, "alias", field),
                      .legacy = flag_of(node, "legacy", field),
                      .secret_name = text_of(node, "secret_name", field),
                      .with_ca = flag_of(node, "with_ca", field)};
    if (!is_target_format(target.format)) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}.format: \"{}\": use files, pem, haproxy, pkcs12, jks, truststore, "
                                "k8s-secret, chain-files or puppet-ssl-dir",
                                field,
                                target.format));
    }
    if (const std::string mode = text_of(node, "mode", field); !mode.empty()) {
        target.mode = parse_mode(mode, field + ".mode");
    }
    if (const std::string update = text_of(node, "keystore", field); !update.empty()) {
        if (update != "merge" && update != "replace") {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}.keystore: \"{}\": use merge or replace", field, update));
        }
        target.keystore = update == "merge" ? KeystoreUpdate::merge : KeystoreUpdate::replace;
    }
    if (const std::string order = text_of(node, "order", field); !order.empty()) {
        target.order = order;
    }
    if (const std::string type = text_of(node, "truststore_type", field); !type.empty()) {
        target.truststore_type = type;
    }
    if (const std::string ns = text_of(node, "namespace", field); !ns.empty()) {
        target.secret_namespace = ns;
    }
    if (target.format == "files") {
        if (!node["files"] || !node["files"].IsMap() || node["files"].size() == 0) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("{}.files: a files target names its pieces (cert: node.cert, key: node.key)",
                            field));
        }
        for (const auto& item : node["files"]) {
            const auto piece = item.first.as<std::string>();
            if (std::find(piece_names.begin(), piece_names.end(), piece) == piece_names.end()) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}.files: unknown piece \"{}\": use cert, key, public_key, chain, "
                                        "fullchain or ca",
                                        field,
                                        piece));
            }
            target.files[piece] = path_of(node["files"], piece.c_str(), field + ".files", base);
        }
        if (!target.path.empty()) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: a files target has files, not path", field));
        }
    } else if (target.path.empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}.path: missing", field));
    }
    return target;
}

HealthCheckSpec parse_health_check(const YAML::Node& node, const std::string& field) {
    require_known_fields(node, {"tls", "sni", "match", "command", "timeout", "retries", "interval"}, field);
    HealthCheckSpec check{.tls = text_of(node, "tls", field), .sni = text_of(node, "sni", field)};
    if (node["command"]) {
        check.argv = argv_of(node["command"], field + ".command");
    }
    if (check.tls.empty() == check.argv.empty()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: give either tls: HOST:PORT or command", field));
    }
    if (const std::string match = text_of(node, "match", field); !match.empty()) {
        if (match != "serial" && match != "sha256") {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}.match: \"{}\": use serial or sha256", field, match));
        }
        check.match = match;
    }
    check.timeout = duration_of(node, "timeout", field, check.timeout);
    check.interval = duration_of(node, "interval", field, check.interval);
    if (node["retries"]) {
        try {
            check.retries = node["retries"].as<unsigned>();
        } catch (const YAML::Exception&) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}.retries: expected a number", field));
        }
    }
    return check;
}

HookSpec parse_hook(const YAML::Node& node, const std::string& field) {
    if (node.IsSequence()) {
        return {.argv = argv_of(node, field)};
    }
    require_known_fields(node, {"command", "timeout", "environment"}, field);
    HookSpec hook{.argv = argv_of(node["command"], field + ".command"),
                  .timeout = duration_of(node, "timeout", field, HookSpec{}.timeout)};
    if (node["environment"]) {
        hook.environment = node["environment"].as<std::map<std::string, std::string>>();
    }
    return hook;
}

}  // namespace

bool is_target_format(std::string_view format) {
    if (format == "files") {
        return true;
    }
    try {
        static_cast<void>(formats::parse_bundle_format(format));
        return true;
    } catch (const Error&) {
        return false;
    }
}

mode_t parse_mode(std::string_view text, std::string_view field) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, 8);
    if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value > 07777) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: \"{}\" is not an octal mode", field, text));
    }
    return static_cast<mode_t>(value);
}

DeploymentSpec parse_deployment_spec(std::string_view yaml,
                                     std::string_view source,
                                     const std::string& base_directory) {
    const YAML::Node root = formats::load_yaml(yaml, source);
    DeploymentSpec spec;
    try {
        require_known_fields(root,
                             {"name", "certificate", "targets", "on_change", "health_checks", "backup"},
                             std::string(source));
        spec.name = text_of(root, "name", "name");
        if (!root["certificate"]) {
            throw Error(ErrorCode::invalid_input, "certificate: missing");
        }
        spec.source = parse_source(root["certificate"], base_directory);
        if (!root["targets"] || !root["targets"].IsSequence() || root["targets"].size() == 0) {
            throw Error(ErrorCode::invalid_input, "targets: expected a non-empty list");
        }
        std::size_t index = 0;
        for (const YAML::Node& node : root["targets"]) {
            spec.targets.push_back(parse_target(node, fmt::format("targets[{}]", index++), base_directory));
        }
        index = 0;
        for (const YAML::Node& node : root["on_change"]) {
            spec.on_change.push_back(parse_hook(node, fmt::format("on_change[{}]", index++)));
        }
        index = 0;
        for (const YAML::Node& node : root["health_checks"]) {
            spec.health_checks.push_back(parse_health_check(node, fmt::format("health_checks[{}]", index++)));
        }
        if (const YAML::Node backup = root["backup"]) {
            require_known_fields(backup, {"directory", "keep", "max_age"}, "backup");
            spec.backup_directory = path_of(backup, "directory", "backup", base_directory);
            if (backup["keep"]) {
                spec.retention.keep = backup["keep"].as<std::size_t>();
            }
            spec.retention.max_age = duration_of(backup, "max_age", "backup", spec.retention.max_age);
        }
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: {}", source, e.what()));
    } catch (const Error& e) {
        if (std::string_view(e.what()).starts_with(source)) {
            throw;
        }
        throw Error(e.code(), fmt::format("{}: {}", source, e.what()));
    }
    return spec;
}

DeploymentSpec read_deployment_spec(const std::string& path) {
    const std::string base = std::filesystem::absolute(path).parent_path().string();
    return parse_deployment_spec(core::read_file(path), path, base);
}

}  // namespace certfleet::deploy
