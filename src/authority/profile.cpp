#include "authority/profile.hpp"

#include "core/error.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>

namespace certfleet::authority {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::array<std::string_view, 6> known_extended_key_usages{
    "serverAuth", "clientAuth", "codeSigning", "emailProtection", "timeStamping", "OCSPSigning"};

std::vector<std::string> read_list(const YAML::Node& node, std::string_view where) {
    if (!node) {
        return {};
    }
    if (!node.IsSequence()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: expected a list", where));
    }
    std::vector<std::string> out;
    for (const auto& item : node) {
        out.push_back(item.as<std::string>());
    }
    return out;
}

template <std::size_t N>
void check_known(const std::vector<std::string>& values,
                 const std::array<std::string_view, N>& known,
                 std::string_view where) {
    for (const auto& value : values) {
        if (std::find(known.begin(), known.end(), value) == known.end()) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: unknown usage \"{}\"", where, value));
        }
    }
}

/// Throws Error(invalid_input) naming `where` unless `node` is a map whose keys are all in `known`.
void require_known_fields(const YAML::Node& node,
                          std::initializer_list<std::string_view> known,
                          std::string_view where) {
    if (!node.IsMap()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: expected a map of {}", where, fmt::join(known, ", ")));
    }
    for (const auto& entry : node) {
        const auto key = entry.first.as<std::string>();
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: {}: unknown field (known: {})", where, key, fmt::join(known, ", ")));
        }
    }
}

}  // namespace

const Profile& ProfileSet::find(std::string_view name) const {
    for (const Profile& profile : profiles) {
        if (profile.name == name) {
            return profile;
        }
    }
    std::string known;
    for (const Profile& profile : profiles) {
        known += (known.empty() ? "" : ", ") + profile.name;
    }
    throw Error(ErrorCode::invalid_input, fmt::format("profile: no profile \"{}\" (known: {})", name, known));
}

ProfileSet default_profiles() {
    using std::chrono::hours;
    const core::Seconds year = std::chrono::duration_cast<core::Seconds>(hours(24 * 365));
    // keyEncipherment is dropped by the signer for keys that cannot encrypt (EC, Ed25519).
    return {.profiles = {
                {.name = "server",
                 .validity = year,
                 .key_usage = {"digitalSignature", "keyEncipherment"},
                 .extended_key_usage = {"serverAuth"}},
                {.name = "client",
                 .validity = year,
                 .key_usage = {"digitalSignature", "keyEncipherment"},
                 .extended_key_usage = {"clientAuth"}},
                {.name = "peer",
                 .validity = year,
                 .key_usage = {"digitalSignature", "keyEncipherment"},
                 .extended_key_usage = {"serverAuth", "clientAuth"}},
                {.name = "intermediate",
                 .validity = 5 * year,
                 .key_usage = {"digitalSignature", "keyCertSign", "cRLSign"},
                 .is_ca = true,
                 .path_length = 0},
            }};
}

ProfileSet ProfileSet::for_issuer(std::string_view authority, std::int64_t generation) const {
    ProfileSet out = *this;
    const auto expand = [&](std::vector<std::string>& urls) {
        for (std::string& url : urls) {
            for (const auto& [placeholder, value] :
                 {std::pair<std::string_view, std::string>{"{authority}", std::string(authority)},
                  std::pair<std::string_view, std::string>{"{generation}", std::to_string(generation)}}) {
                for (std::size_t at = url.find(placeholder); at != std::string::npos;
                     at = url.find(placeholder)) {
                    url.replace(at, placeholder.size(), value);
                }
            }
        }
    };
    expand(out.crl_distribution_points);
    expand(out.ca_issuers_urls);
    expand(out.ocsp_urls);
    return out;
}

ProfileSet parse_profiles(std::string_view yaml, std::string_view source) {
    ProfileSet set = default_profiles();
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml));
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: not valid YAML: {}", source, e.what()));
    }
    if (root.IsNull()) {
        return set;
    }
    try {
        // A misplaced profile ("server: 5" at the top, or a profile that is not a map) used to be ignored
        // and the defaults issued: every field is known or named as unknown.
        require_known_fields(
            root, {"crl_distribution_points", "ca_issuers_urls", "ocsp_urls", "profiles"}, source);
        set.crl_distribution_points =
            read_list(root["crl_distribution_points"], fmt::format("{}: crl_distribution_points", source));
        set.ca_issuers_urls = read_list(root["ca_issuers_urls"], fmt::format("{}: ca_issuers_urls", source));
        set.ocsp_urls = read_list(root["ocsp_urls"], fmt::format("{}: ocsp_urls", source));
        const YAML::Node profiles = root["profiles"];
        if (profiles && !profiles.IsMap()) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format("{}: profiles: expected a map of name to profile", source));
        }
        for (const auto& entry : profiles) {
            const auto name = entry.first.as<std::string>();
            const YAML::Node& node = entry.second;
            const std::string where = fmt::format("{}: profiles.{}", source, name);
            require_known_fields(
                node, {"validity", "key_usage", "extended_key_usage", "ca", "path_length"}, where);
            auto it = std::find_if(
                set.profiles.begin(), set.profiles.end(), [&](const Profile& p) { return p.name == name; });
            if (it == set.profiles.end()) {
                set.profiles.push_back({.name = name, .validity = std::chrono::hours(24 * 365)});
                it = std::prev(set.profiles.end());
            }
            if (node["validity"]) {
                it->validity = core::parse_duration(node["validity"].as<std::string>(), where + ".validity");
            }
            if (node["key_usage"]) {
                it->key_usage = read_list(node["key_usage"], where + ".key_usage");
                check_known(it->key_usage, pki::key_usage_names, where + ".key_usage");
            }
            if (node["extended_key_usage"]) {
                it->extended_key_usage = read_list(node["extended_key_usage"], where + ".extended_key_usage");
                check_known(it->extended_key_usage, known_extended_key_usages, where + ".extended_key_usage");
            }
            if (node["ca"]) {
                it->is_ca = node["ca"].as<bool>();
            }
            if (node["path_length"]) {
                it->path_length = node["path_length"].as<int>();
            }
            if (it->is_ca &&
                std::find(it->key_usage.begin(), it->key_usage.end(), "keyCertSign") == it->key_usage.end()) {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: a CA profile needs keyCertSign in key_usage", where));
            }
        }
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: {}", source, e.what()));
    }
    return set;
}

std::string to_yaml(const ProfileSet& set) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    const auto list = [&out](std::string_view key, const std::vector<std::string>& values) {
        out << YAML::Key << std::string(key) << YAML::Value << YAML::Flow << values;
    };
    list("crl_distribution_points", set.crl_distribution_points);
    list("ca_issuers_urls", set.ca_issuers_urls);
    list("ocsp_urls", set.ocsp_urls);
    out << YAML::Key << "profiles" << YAML::Value << YAML::BeginMap;
    for (const Profile& p : set.profiles) {
        out << YAML::Key << p.name << YAML::Value << YAML::BeginMap;
        out << YAML::Key << "validity" << YAML::Value << core::format_duration(p.validity);
        list("key_usage", p.key_usage);
        list("extended_key_usage", p.extended_key_usage);
        out << YAML::Key << "ca" << YAML::Value << p.is_ca;
        if (p.path_length) {
            out << YAML::Key << "path_length" << YAML::Value << *p.path_length;
        }
        out << YAML::EndMap;
    }
    out << YAML::EndMap << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

}  // namespace certfleet::authority
