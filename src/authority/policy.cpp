#include "authority/policy.hpp"

#include "core/error.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cctype>

namespace certfleet::authority {
namespace {

using core::Error;
using core::ErrorCode;

/// An IPv4 or IPv6 network, "10.0.0.0/8".
struct IpRange {
    int family = AF_INET;
    std::array<unsigned char, 16> address{};
    int prefix = 0;
};

std::optional<std::pair<int, std::array<unsigned char, 16>>> parse_address(const std::string& text) {
    std::array<unsigned char, 16> bytes{};
    if (inet_pton(AF_INET, text.c_str(), bytes.data()) == 1) {
        return std::pair{AF_INET, bytes};
    }
    if (inet_pton(AF_INET6, text.c_str(), bytes.data()) == 1) {
        return std::pair{AF_INET6, bytes};
    }
    return std::nullopt;
}

IpRange parse_range(const std::string& text, std::string_view where) {
    const auto slash = text.find('/');
    const auto address = parse_address(text.substr(0, slash));
    const int max_prefix = address && address->first == AF_INET ? 32 : 128;
    int prefix = max_prefix;
    if (slash != std::string::npos) {
        try {
            std::size_t used = 0;
            prefix = std::stoi(text.substr(slash + 1), &used);
            if (used != text.size() - slash - 1) {
                prefix = -1;
            }
        } catch (const std::exception&) {
            prefix = -1;
        }
    }
    if (!address || prefix < 0 || prefix > max_prefix) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: \"{}\" is not an IP range (CIDR, e.g. 10.0.0.0/8)", where, text));
    }
    return {.family = address->first, .address = address->second, .prefix = prefix};
}

bool contains(const IpRange& range, int family, const std::array<unsigned char, 16>& address) {
    if (range.family != family) {
        return false;
    }
    for (int bit = 0; bit < range.prefix; ++bit) {
        const auto byte = static_cast<std::size_t>(bit / 8);
        const auto mask = static_cast<unsigned char>(0x80U >> static_cast<unsigned>(bit % 8));
        if ((range.address.at(byte) & mask) != (address.at(byte) & mask)) {
            return false;
        }
    }
    return true;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return out;
}

/// "example.com" matches itself; "*.example.com" matches any name with more labels below example.com,
/// including a requested wildcard "*.example.com" or "*.a.example.com".
bool domain_matches(std::string_view pattern_text, std::string_view name_text) {
    const std::string pattern = lower(pattern_text);
    const std::string name = lower(name_text);
    if (pattern.starts_with("*.")) {
        const std::string_view suffix = std::string_view(pattern).substr(1);  // ".example.com"
        return name.size() > suffix.size() && name.ends_with(suffix);
    }
    return name == pattern;
}

std::string describe_list(std::string_view key, const std::vector<std::string>& values) {
    std::string out = fmt::format("{}: [", key);
    for (std::size_t i = 0; i < values.size(); ++i) {
        out += (i == 0 ? "" : ", ") + values[i];
    }
    return out + "]";
}

std::optional<std::vector<std::string>> read_optional_list(const YAML::Node& node, std::string_view where) {
    if (!node) {
        return std::nullopt;
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

void judge_dns(const Policy& policy, const std::string& name, PolicyDecision& decision) {
    const std::string subject = "DNS:" + name;
    if (name.starts_with("*.") && !policy.allow_wildcards) {
        decision.refusals.push_back(
            {PolicyRefusalReason::wildcard_not_allowed, subject, "allow_wildcards: false"});
        return;
    }
    if (!policy.allowed_domains) {
        return;
    }
    const auto& domains = *policy.allowed_domains;
    if (std::none_of(
            domains.begin(), domains.end(), [&](const std::string& d) { return domain_matches(d, name); })) {
        decision.refusals.push_back(
            {PolicyRefusalReason::name_not_allowed, subject, describe_list("allowed_domains", domains)});
    }
}

void judge_ip(const Policy& policy, const std::string& text, PolicyDecision& decision) {
    if (!policy.allowed_ip_ranges) {
        return;
    }
    const auto address = parse_address(text);
    const auto& ranges = *policy.allowed_ip_ranges;
    const bool inside =
        address && std::any_of(ranges.begin(), ranges.end(), [&](const std::string& r) {
            return contains(parse_range(r, "allowed_ip_ranges"), address->first, address->second);
        });
    if (!inside) {
        decision.refusals.push_back(
            {PolicyRefusalReason::ip_not_allowed, "IP:" + text, describe_list("allowed_ip_ranges", ranges)});
    }
}

std::string key_family(const pki::KeyDescription& key) {
    if (key.algorithm == "RSA" || key.algorithm == "RSA-PSS") {
        return "rsa";
    }
    if (key.algorithm == "EC") {
        return "ec";
    }
    return lower(key.algorithm);
}

}  // namespace

Policy parse_policy(std::string_view yaml, std::string_view source) {
    Policy policy;
    try {
        const YAML::Node root = YAML::Load(std::string(yaml));
        if (root.IsNull()) {
            return policy;
        }
        if (!root.IsMap()) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: expected a map of policy rules", source));
        }
        for (const auto& entry : root) {
            const auto key = entry.first.as<std::string>();
            const std::string where = fmt::format("{}: {}", source, key);
            if (key == "allowed_domains") {
                policy.allowed_domains = read_optional_list(entry.second, where);
            } else if (key == "allow_wildcards") {
                policy.allow_wildcards = entry.second.as<bool>();
            } else if (key == "allowed_ip_ranges") {
                policy.allowed_ip_ranges = read_optional_list(entry.second, where);
                for (const auto& range : *policy.allowed_ip_ranges) {
                    parse_range(range, where);
                }
            } else if (key == "max_validity") {
                policy.max_validity = core::parse_duration(entry.second.as<std::string>(), where);
            } else if (key == "allowed_key_types") {
                policy.allowed_key_types = read_optional_list(entry.second, where);
                for (const auto& type : *policy.allowed_key_types) {
                    if (type != "rsa" && type != "ec" && type != "ed25519") {
                        throw Error(
                            ErrorCode::invalid_input,
                            fmt::format("{}: unknown key type \"{}\" (rsa, ec, ed25519)", where, type));
                    }
                }
            } else if (key == "min_rsa_bits") {
                policy.min_rsa_bits = entry.second.as<int>();
            } else if (key == "allow_subject_override") {
                policy.allow_subject_override = entry.second.as<bool>();
            } else {
                throw Error(ErrorCode::invalid_input,
                            fmt::format("{}: unknown policy rule \"{}\"", source, key));
            }
        }
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: {}", source, e.what()));
    }
    return policy;
}

std::string to_yaml(const Policy& policy) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    if (policy.allowed_domains) {
        out << YAML::Key << "allowed_domains" << YAML::Value << YAML::Flow << *policy.allowed_domains;
    }
    out << YAML::Key << "allow_wildcards" << YAML::Value << policy.allow_wildcards;
    if (policy.allowed_ip_ranges) {
        out << YAML::Key << "allowed_ip_ranges" << YAML::Value << YAML::Flow << *policy.allowed_ip_ranges;
    }
    if (policy.max_validity) {
        out << YAML::Key << "max_validity" << YAML::Value << core::format_duration(*policy.max_validity);
    }
    if (policy.allowed_key_types) {
        out << YAML::Key << "allowed_key_types" << YAML::Value << YAML::Flow << *policy.allowed_key_types;
    }
    out << YAML::Key << "min_rsa_bits" << YAML::Value << policy.min_rsa_bits;
    out << YAML::Key << "allow_subject_override" << YAML::Value << policy.allow_subject_override;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

PolicyDecision evaluate(const Policy& policy, const PolicyRequest& request) {
    PolicyDecision decision;
    if (request.subject_overridden && !policy.allow_subject_override) {
        decision.refusals.push_back(
            {PolicyRefusalReason::subject_override_not_allowed, "subject", "allow_subject_override: false"});
    }
    if (!request.common_name.empty() && policy.allowed_domains) {
        if (parse_address(request.common_name)) {
            judge_ip(policy, request.common_name, decision);
        } else {
            judge_dns(policy, request.common_name, decision);
        }
    }
    for (const pki::GeneralName& name : request.names) {
        if (name.kind == pki::GeneralName::Kind::dns) {
            if (name.value != request.common_name) {
                judge_dns(policy, name.value, decision);
            }
        } else if (name.kind == pki::GeneralName::Kind::ip) {
            judge_ip(policy, name.value, decision);
        } else {
            decision.refusals.push_back({PolicyRefusalReason::name_kind_not_allowed,
                                         pki::to_string(name),
                                         "policies allow DNS and IP names only"});
        }
    }
    if (policy.max_validity && request.validity > *policy.max_validity) {
        decision.refusals.push_back({PolicyRefusalReason::validity_too_long,
                                     core::format_duration(request.validity),
                                     "max_validity: " + core::format_duration(*policy.max_validity)});
    }
    const std::string family = key_family(request.key);
    if (policy.allowed_key_types) {
        const auto& types = *policy.allowed_key_types;
        if (std::find(types.begin(), types.end(), family) == types.end()) {
            decision.refusals.push_back({PolicyRefusalReason::key_type_not_allowed,
                                         pki::to_string(request.key),
                                         describe_list("allowed_key_types", types)});
        }
    }
    if (family == "rsa" && request.key.bits < policy.min_rsa_bits) {
        decision.refusals.push_back({PolicyRefusalReason::key_too_small,
                                     pki::to_string(request.key),
                                     fmt::format("min_rsa_bits: {}", policy.min_rsa_bits)});
    }
    return decision;
}

}  // namespace certfleet::authority
