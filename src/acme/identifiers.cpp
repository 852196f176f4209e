#include "acme/identifiers.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <set>

namespace certfleet::acme {
namespace {

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
        return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    });
    return text;
}

Problem rejected(const std::string& name, std::string detail) {
    return {.type = ProblemType::rejected_identifier, .detail = std::move(detail), .identifier = name};
}

bool is_name_refusal(authority::PolicyRefusalReason reason) {
    using authority::PolicyRefusalReason;
    return reason == PolicyRefusalReason::name_not_allowed ||
           reason == PolicyRefusalReason::wildcard_not_allowed ||
           reason == PolicyRefusalReason::ip_not_allowed ||
           reason == PolicyRefusalReason::name_kind_not_allowed;
}

std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) {
        out += out.empty() ? n : ", " + n;
    }
    return out;
}

/// Returns why the order may not have the identifier of `type` and (lower-case) `name`, or nullopt.
std::optional<Problem> refusal_for(const std::string& name,
                                   const nlohmann::json& type,
                                   const authority::Policy& policy) {
    if (type != "dns") {
        return Problem{.type = ProblemType::unsupported_identifier,
                       .detail = fmt::format("identifier type {} is not supported (dns only)",
                                             nlohmann::json(type).dump()),
                       .identifier = name};
    }
    if (name.starts_with("*.")) {
        return rejected(
            name, fmt::format("{}: wildcard names need dns-01, which this server does not offer", name));
    }
    pki::GeneralName parsed;
    try {
        parsed = pki::parse_general_name("DNS:" + name, "identifier");
    } catch (const core::Error&) {
        return rejected(name, fmt::format("{}: not a valid host name", name.substr(0, 255)));
    }
    const authority::PolicyDecision decision = authority::evaluate(policy, {.names = {parsed}});
    std::vector<std::string> rules;
    for (const authority::PolicyRefusal& r : decision.refusals) {
        if (is_name_refusal(r.reason)) {
            rules.push_back(fmt::format("{} ({})", authority::to_string(r.reason), r.rule));
        }
    }
    if (!rules.empty()) {
        return rejected(name, fmt::format("{}: refused by policy: {}", name, join(rules)));
    }
    return std::nullopt;
}

}  // namespace

Checked<std::vector<std::string>> check_order_identifiers(const nlohmann::json& identifiers,
                                                          const authority::Policy& policy) {
    if (!identifiers.is_array() || identifiers.empty()) {
        return Problem{.type = ProblemType::malformed,
                       .detail = "newOrder: \"identifiers\" must be a non-empty array"};
    }
    if (identifiers.size() > max_identifiers) {
        return Problem{
            .type = ProblemType::malformed,
            .detail = fmt::format(
                "newOrder: {} identifiers; at most {} per order", identifiers.size(), max_identifiers)};
    }
    std::set<std::string> names;
    std::vector<Problem> refused;
    for (const nlohmann::json& entry : identifiers) {
        const auto type = entry.is_object() ? entry.find("type") : entry.end();
        const auto value = entry.is_object() ? entry.find("value") : entry.end();
        if (type == entry.end() || value == entry.end() || !type->is_string() || !value->is_string()) {
            return Problem{.type = ProblemType::malformed,
                           .detail = R"(newOrder: each identifier needs string "type" and "value")"};
        }
        const std::string name = lower(value->get<std::string>());
        if (std::optional<Problem> refusal = refusal_for(name, *type, policy)) {
            refused.push_back(std::move(*refusal));
        } else {
            names.insert(name);
        }
    }
    if (!refused.empty()) {
        const bool all_unsupported = std::all_of(refused.begin(), refused.end(), [](const Problem& p) {
            return p.type == ProblemType::unsupported_identifier;
        });
        std::string detail;
        for (const Problem& p : refused) {
            detail += detail.empty() ? p.detail : "; " + p.detail;
        }
        Problem top{
            .type = all_unsupported ? ProblemType::unsupported_identifier : ProblemType::rejected_identifier,
            .detail = std::move(detail)};
        top.subproblems = std::move(refused);
        return top;
    }
    return std::vector<std::string>(names.begin(), names.end());
}

std::vector<std::string> csr_dns_names(const pki::Csr& csr) {
    std::set<std::string> names;
    if (const std::string cn = csr.subject_common_name(); !cn.empty()) {
        names.insert(lower(cn));
    }
    for (const pki::GeneralName& n : csr.subject_alt_names()) {
        if (n.kind == pki::GeneralName::Kind::dns) {
            names.insert(lower(n.value));
        }
    }
    return {names.begin(), names.end()};
}

std::optional<Problem> check_csr_names(const pki::Csr& csr, const std::vector<std::string>& identifiers) {
    if (!csr.has_valid_signature()) {
        return Problem{.type = ProblemType::bad_csr,
                       .detail = "csr: the signature does not verify with its own key"};
    }
    for (const pki::GeneralName& n : csr.subject_alt_names()) {
        if (n.kind != pki::GeneralName::Kind::dns) {
            return Problem{.type = ProblemType::bad_csr,
                           .detail = fmt::format("csr: subjectAltName {} is not a DNS name of the order",
                                                 pki::to_string(n))};
        }
    }
    const std::vector<std::string> asked = csr_dns_names(csr);
    std::set<std::string> wanted;
    for (const auto& id : identifiers) {
        wanted.insert(lower(id));
    }
    std::vector<std::string> missing;
    std::vector<std::string> extra;
    std::set_difference(
        wanted.begin(), wanted.end(), asked.begin(), asked.end(), std::back_inserter(missing));
    std::set_difference(asked.begin(), asked.end(), wanted.begin(), wanted.end(), std::back_inserter(extra));
    if (missing.empty() && extra.empty()) {
        return std::nullopt;
    }
    std::string detail = "csr: the names differ from the order's identifiers";
    if (!missing.empty()) {
        detail += "; missing: " + join(missing);
    }
    if (!extra.empty()) {
        detail += "; not in the order: " + join(extra);
    }
    return Problem{.type = ProblemType::bad_csr, .detail = detail};
}

}  // namespace certfleet::acme
