// The server profile's rules about nameConstraints (profile_rules.hpp).
#include "pki/dns_name.hpp"
#include "pki/profile_rules.hpp"

#include <fmt/format.h>

#include <vector>

namespace certfleet::pki {
namespace {

// The dNSName bases of `subtrees` (nullptr is an absent list).
std::vector<std::string> dns_bases(const STACK_OF(GENERAL_SUBTREE) * subtrees) {
    std::vector<std::string> out;
    for (int i = 0; i < sk_GENERAL_SUBTREE_num(subtrees); ++i) {
        const GENERAL_NAME* base = sk_GENERAL_SUBTREE_value(subtrees, i)->base;
        if (base != nullptr && base->type == GEN_DNS) {
            const auto* data = reinterpret_cast<const char*>(ASN1_STRING_get0_data(base->d.dNSName));
            out.emplace_back(data, static_cast<std::size_t>(ASN1_STRING_length(base->d.dNSName)));
        }
    }
    return out;
}

std::vector<std::string> all_dns_bases(const Certificate& certificate) {
    const auto constraints = decode_extension<NameConstraintsPtr>(certificate, NID_name_constraints);
    if (!constraints) {
        return {};
    }
    std::vector<std::string> out = dns_bases(constraints->permittedSubtrees);
    for (std::string& base : dns_bases(constraints->excludedSubtrees)) {
        out.push_back(std::move(base));
    }
    return out;
}

// Returns true if some name "*.`wildcard_parent`" matches (one label, then the parent) lies in `subtree`.
bool wildcard_reaches(std::string_view wildcard_parent, std::string_view subtree) {
    const std::string parent = ascii_lower(wildcard_parent);
    std::string base = ascii_lower(subtree);
    if (base.starts_with('.')) {
        base.erase(0, 1);
    }
    if (is_within_subtree(parent, base) && parent != base) {
        return true;  // the subtree holds the parent's whole tree
    }
    // "*.example.com" matches "bar.example.com", the excluded base itself (or the whole tree under
    // "example.com" when the base is the parent).
    const std::size_t dot = base.find('.');
    return base == parent || (dot != std::string::npos && base.substr(dot + 1) == parent);
}

}  // namespace

RuleResult check_leaf_without_name_constraints(const Certificate& certificate, std::size_t index) {
    if (extension_criticality(certificate, NID_name_constraints)) {
        return rule_finding(FindingCode::name_constraints_in_leaf,
                            index,
                            certificate,
                            "nameConstraints in a leaf (only CA certificates may carry it)");
    }
    return std::nullopt;
}

RuleResult check_name_constraints_not_empty(const Certificate& certificate, std::size_t index) {
    if (!extension_criticality(certificate, NID_name_constraints)) {
        return std::nullopt;
    }
    const auto constraints = decode_extension<NameConstraintsPtr>(certificate, NID_name_constraints);
    // RFC 5280 4.2.1.10: "Conforming CAs MUST NOT issue certificates where name constraints is an empty
    // sequence. That is, either the permittedSubtrees field or the excludedSubtrees MUST be present."
    if (!constraints || (sk_GENERAL_SUBTREE_num(constraints->permittedSubtrees) <= 0 &&
                         sk_GENERAL_SUBTREE_num(constraints->excludedSubtrees) <= 0)) {
        return rule_finding(FindingCode::name_constraints_empty,
                            index,
                            certificate,
                            "nameConstraints has neither permitted nor excluded subtrees");
    }
    return std::nullopt;
}

RuleResult check_dns_constraints_valid(const Certificate& certificate, std::size_t index) {
    for (const std::string& base : all_dns_bases(certificate)) {
        const std::string_view name = std::string_view(base).substr(base.starts_with('.') ? 1 : 0);
        if (!is_dns_name(name)) {
            return rule_finding(FindingCode::name_constraint_invalid,
                                index,
                                certificate,
                                fmt::format("nameConstraints dNSName \"{}\" is not a DNS name", base));
        }
    }
    return std::nullopt;
}

RuleResult check_dns_constraints_without_leading_dot(const Certificate& certificate, std::size_t index) {
    for (const std::string& base : all_dns_bases(certificate)) {
        if (base.starts_with('.')) {
            return rule_finding(
                FindingCode::name_constraint_leading_dot,
                index,
                certificate,
                fmt::format("nameConstraints dNSName \"{}\" starts with a dot (RFC 5280 names the subtree's "
                            "root without one)",
                            base));
        }
    }
    return std::nullopt;
}

RuleResult check_wildcards_outside_excluded(const Certificate& leaf,
                                            const Certificate& ca,
                                            std::size_t ca_index) {
    const auto constraints = decode_extension<NameConstraintsPtr>(ca, NID_name_constraints);
    if (!constraints) {
        return std::nullopt;
    }
    const std::vector<std::string> excluded = dns_bases(constraints->excludedSubtrees);
    for (const GeneralName& name : leaf.subject_alt_names()) {
        if (name.kind != GeneralName::Kind::dns || !name.value.starts_with("*.")) {
            continue;
        }
        for (const std::string& base : excluded) {
            if (wildcard_reaches(std::string_view(name.value).substr(2), base)) {
                return rule_finding(FindingCode::wildcard_reaches_excluded,
                                    ca_index,
                                    ca,
                                    fmt::format("excludes dNSName \"{}\", which the leaf's wildcard "
                                                "subjectAltName DNS:{} covers",
                                                base,
                                                name.value));
            }
        }
    }
    return std::nullopt;
}

}  // namespace certfleet::pki
