#include "enrollment/autosign_rule.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/x509.h>

#include <cctype>

namespace certfleet::enrollment {
namespace {

bool same_letter(char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

bool equal_secrets(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

bool glob_matches(std::string_view glob, std::string_view name) {
    // Iterative matching with one backtrack point (the last '*'), linear in practice.
    std::size_t g = 0;
    std::size_t n = 0;
    std::size_t star = std::string_view::npos;
    std::size_t star_n = 0;
    while (n < name.size()) {
        if (g < glob.size() && glob[g] == '*') {
            star = g++;
            star_n = n;
        } else if (g < glob.size() && ((glob[g] == '?' && name[n] != '.') || same_letter(glob[g], name[n]))) {
            ++g;
            ++n;
        } else if (star != std::string_view::npos && name[star_n] != '.') {
            g = star + 1;
            n = ++star_n;
        } else {
            return false;
        }
    }
    while (g < glob.size() && glob[g] == '*') {
        ++g;
    }
    return g == glob.size();
}

AutosignDecision judge_autosign(const AutosignRules& rules,
                                std::string_view name,
                                const std::optional<core::Secret>& challenge) {
    for (const std::string& glob : rules.globs) {
        if (!glob_matches(glob, name)) {
            continue;
        }
        if (!rules.challenge) {
            return {AutosignVerdict::sign, fmt::format("autosign: {} matches \"{}\"", name, glob)};
        }
        if (challenge && equal_secrets(challenge->reveal(), rules.challenge->reveal())) {
            return {AutosignVerdict::sign,
                    fmt::format("autosign: {} matches \"{}\" with the shared challenge", name, glob)};
        }
        if (rules.policy_executable.empty()) {
            return {AutosignVerdict::queue,
                    fmt::format(
                        "autosign: {} matches \"{}\" but the CSR lacks the shared challenge", name, glob)};
        }
        break;
    }
    if (!rules.policy_executable.empty()) {
        return {AutosignVerdict::ask_policy_executable,
                fmt::format("autosign: ask {}", rules.policy_executable)};
    }
    return {AutosignVerdict::queue, fmt::format("autosign: no rule matches {}", name)};
}

std::optional<core::Secret> challenge_password(const pki::Csr& csr) {
    const int index = X509_REQ_get_attr_by_NID(csr.get(), NID_pkcs9_challengePassword, -1);
    if (index < 0) {
        return std::nullopt;
    }
    X509_ATTRIBUTE* attribute = X509_REQ_get_attr(csr.get(), index);  // get0 semantics: borrowed
    ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(attribute, 0);
    if (value == nullptr) {
        return std::nullopt;
    }
    const ASN1_STRING* text = nullptr;
    switch (value->type) {
        case V_ASN1_PRINTABLESTRING:
        case V_ASN1_UTF8STRING:
        case V_ASN1_IA5STRING:
        case V_ASN1_T61STRING:
        case V_ASN1_BMPSTRING:
        case V_ASN1_UNIVERSALSTRING:
            text = value->value.asn1_string;
            break;
        default:
            return std::nullopt;
    }
    return core::Secret(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(text)),
                                    static_cast<std::size_t>(ASN1_STRING_length(text))));
}

}  // namespace certfleet::enrollment
