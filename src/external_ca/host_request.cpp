#include "external_ca/host_request.hpp"

#include "core/error.hpp"
#include "core/separated_list.hpp"
#include "formats/yaml_document.hpp"
#include "pki/distinguished_name.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <set>

namespace certfleet::external_ca {
namespace {

using core::Error;
using core::ErrorCode;

std::vector<pki::GeneralName> names_for(std::string_view host,
                                        const std::vector<std::string>& aliases,
                                        std::string_view field) {
    std::vector<pki::GeneralName> names;
    const pki::GeneralName primary = pki::parse_general_name(host, field);
    if (primary.kind != pki::GeneralName::Kind::dns) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: \"{}\" must be a DNS hostname", field, host));
    }
    names.push_back(primary);
    for (const std::string& alias : aliases) {
        pki::GeneralName name = pki::parse_general_name(alias, field);
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(std::move(name));
        }
    }
    return names;
}

}  // namespace

std::string subject_for(std::string_view host, std::string_view subject_template) {
    std::string subject(subject_template);
    const auto at = subject.find("{name}");
    if (at != std::string::npos) {
        subject.replace(at, 6, host);
    } else if (subject.find("CN=") == std::string::npos) {
        subject = subject.empty() ? fmt::format("CN={}", host) : fmt::format("CN={},{}", host, subject);
    }
    // Parse once so that a bad template fails before any key is made.
    static_cast<void>(pki::parse_name(subject, fmt::format("subject of {}", host)));
    return subject;
}

HostRequest parse_host_flag(std::string_view text, std::string_view subject_template) {
    const auto items = core::split_list(text);
    std::vector<std::string> parts(items.begin(), items.end());
    if (parts.empty()) {
        throw Error(ErrorCode::invalid_input, "--host: empty host");
    }
    const std::string host = parts.front();
    parts.erase(parts.begin());
    return {host, subject_for(host, subject_template), names_for(host, parts, "--host")};
}

CsrPlan parse_host_list(std::string_view yaml, std::string_view source) {
    const YAML::Node root = formats::load_yaml(yaml, source);
    if (!root.IsMap() || !root["hosts"] || !root["hosts"].IsSequence() || root["hosts"].size() == 0) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: expected a map with a non-empty \"hosts\" list", source));
    }
    CsrPlan plan;
    try {
        const std::string subject_template =
            root["subject"] ? root["subject"].as<std::string>() : "CN={name}";
        plan.key_spec =
            pki::KeySpec::parse(root["key_type"] ? root["key_type"].as<std::string>() : "rsa:2048",
                                fmt::format("{}: key_type", source));
        std::set<std::string> seen;
        std::size_t index = 0;
        for (const YAML::Node& entry : root["hosts"]) {
            ++index;
            const std::string field = fmt::format("{}: hosts[{}]", source, index);
            if (!entry.IsMap() || !entry["name"]) {
                throw Error(ErrorCode::invalid_input, fmt::format("{}: needs a \"name\"", field));
            }
            const auto name = entry["name"].as<std::string>();
            if (!seen.insert(name).second) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: host \"{}\" is listed twice", field, name));
            }
            std::vector<std::string> aliases;
            if (entry["aliases"]) {
                aliases = entry["aliases"].as<std::vector<std::string>>();
            }
            const std::string subject = entry["subject"]
                                            ? subject_for(name, entry["subject"].as<std::string>())
                                            : subject_for(name, subject_template);
            plan.hosts.push_back({name, subject, names_for(name, aliases, field)});
        }
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: {}", source, e.what()));
    }
    return plan;
}

}  // namespace certfleet::external_ca
