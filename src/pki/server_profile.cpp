#include "pki/server_profile.hpp"

#include "core/error.hpp"
#include "pki/profile_rules.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::pki {
namespace {

using Rule = RuleResult (*)(const Certificate&, std::size_t);

void add(std::vector<Finding>& findings, RuleResult result) {
    if (result) {
        findings.push_back(std::move(*result));
    }
}

void apply(std::vector<Finding>& findings, const Certificate& certificate, std::size_t index, Rule rule) {
    add(findings, rule(certificate, index));
}

// Rules for the end-entity certificate.
void check_leaf(std::vector<Finding>& findings, const Certificate& leaf, ServerProfile profile) {
    for (const Rule rule : {check_version_3,
                            check_ca_flag_has_cert_sign,
                            check_leaf_without_name_constraints,
                            check_san_dns_names,
                            check_san_not_critical,
                            check_common_name_ip,
                            check_common_name_case,
                            check_common_name_ascii,
                            check_eku_not_critical}) {
        apply(findings, leaf, 0, rule);
    }
    if (RuleResult finding = check_wildcard_public_suffix(leaf, 0, profile == ServerProfile::strict)) {
        findings.push_back(std::move(*finding));
    }
    if (profile == ServerProfile::strict) {
        for (const Rule rule : {check_san_present, check_eku_not_any}) {
            apply(findings, leaf, 0, rule);
        }
    }
}

// Rules for every certificate but the anchor.
void check_issued(std::vector<Finding>& findings, const Certificate& certificate, std::size_t index) {
    for (const Rule rule :
         {check_serial_positive, check_serial_length, check_aia_decodes, check_eku_not_empty}) {
        apply(findings, certificate, index, rule);
    }
}

// Rules for every certificate, the anchor included: keys and the CA extensions.
void check_any(std::vector<Finding>& findings,
               const Certificate& certificate,
               std::size_t index,
               ServerProfile profile) {
    for (const Rule rule :
         {check_not_dsa, check_rsa_size, check_name_constraints_not_empty, check_dns_constraints_valid}) {
        apply(findings, certificate, index, rule);
    }
    if (profile == ServerProfile::strict) {
        for (const Rule rule :
             {check_dns_constraints_without_leading_dot, check_policy_constraints_critical}) {
            apply(findings, certificate, index, rule);
        }
    }
}

}  // namespace

std::string_view to_string(ServerProfile profile) noexcept {
    switch (profile) {
        case ServerProfile::off:
            return "openssl";
        case ServerProfile::standard:
            return "default";
        case ServerProfile::strict:
            return "strict";
    }
    return "default";
}

ServerProfile parse_server_profile(std::string_view text, std::string_view field) {
    for (const ServerProfile profile : {ServerProfile::off, ServerProfile::standard, ServerProfile::strict}) {
        if (text == to_string(profile)) {
            return profile;
        }
    }
    throw core::Error(
        core::ErrorCode::invalid_input,
        fmt::format("{}: \"{}\" is not a profile (use default, strict or openssl)", field, text));
}

std::vector<Finding> check_anchor(const Certificate& anchor, std::size_t index, ServerProfile profile) {
    std::vector<Finding> findings;
    if (profile == ServerProfile::off) {
        return findings;
    }
    for (const Rule rule : {check_anchor_without_eku,
                            check_anchor_aki_has_key_id,
                            check_anchor_aki_matches_ski,
                            check_anchor_self_signature}) {
        apply(findings, anchor, index, rule);
    }
    if (profile == ServerProfile::strict) {
        apply(findings, anchor, index, check_anchor_aki_key_id_only);
    }
    check_any(findings, anchor, index, profile);
    return findings;
}

namespace {

// The trust anchor at the chain's end: its own rules (a finding the issued rules gave already is not
// repeated), and the leaf's wildcards against its name constraints.
void check_trust_anchor(std::vector<Finding>& findings,
                        const std::vector<Certificate>& chain,
                        ServerProfile profile) {
    const std::size_t index = chain.size() - 1;
    for (Finding& finding : check_anchor(chain.back(), index, profile)) {
        if (std::find(findings.begin(), findings.end(), finding) == findings.end()) {
            findings.push_back(std::move(finding));
        }
    }
    if (index > 0) {
        add(findings, check_wildcards_outside_excluded(chain.front(), chain.back(), index));
    }
}

}  // namespace

std::vector<Finding> check_server_profile(const std::vector<Certificate>& chain, const ProfileScope& scope) {
    std::vector<Finding> findings;
    if (scope.profile == ServerProfile::off || chain.empty()) {
        return findings;
    }
    // The leaf is judged as a leaf even when it is itself trusted (a pinned self-signed certificate).
    const std::size_t issued =
        std::max<std::size_t>(1, scope.ends_at_anchor ? chain.size() - 1 : chain.size());
    check_leaf(findings, chain.front(), scope.profile);
    for (std::size_t i = 0; i < issued; ++i) {
        check_issued(findings, chain[i], i);
        check_any(findings, chain[i], i, scope.profile);
        if (i > 0) {
            add(findings, check_wildcards_outside_excluded(chain.front(), chain[i], i));
        }
    }
    if (scope.ends_at_anchor) {
        check_trust_anchor(findings, chain, scope.profile);
    }
    if (scope.crls != nullptr) {
        for (const Crl& crl : *scope.crls) {
            add(findings, check_crl_number(crl));
        }
    }
    return findings;
}

}  // namespace certfleet::pki
