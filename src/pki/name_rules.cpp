// The server profile's rules about the leaf's subjectAltName and commonName (profile_rules.hpp).
#include "pki/dns_name.hpp"
#include "pki/profile_rules.hpp"
#include "pki/public_suffix_list.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace certfleet::pki {
namespace {

std::vector<std::string> names_of_kind(const Certificate& certificate, GeneralName::Kind kind) {
    std::vector<std::string> out;
    for (GeneralName& name : certificate.subject_alt_names()) {
        if (name.kind == kind) {
            out.push_back(std::move(name.value));
        }
    }
    return out;
}

bool is_hex_digit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

// An IPv4 look-alike as inet_aton(3) reads them: four dot-separated parts, each decimal or 0x-hex
// ("192.168.001.001", "0xC0.0xA8.0.1"), or fewer with a hex part ("0xC0A80101").
bool looks_like_ipv4(std::string_view text) {
    int parts = 0;
    bool hex = false;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t dot = std::min(text.find('.', start), text.size());
        std::string_view part = text.substr(start, dot - start);
        if (part.starts_with("0x") || part.starts_with("0X")) {
            hex = true;
            part.remove_prefix(2);
            if (part.empty() || !std::all_of(part.begin(), part.end(), is_hex_digit)) {
                return false;
            }
        } else if (part.empty() || !std::all_of(part.begin(), part.end(), is_digit)) {
            return false;
        }
        ++parts;
        start = dot + 1;
    }
    return parts == 4 || (parts < 4 && hex);
}

// An IPv6 look-alike: hex digits, colons (at least two) and dots (an embedded IPv4) only.
bool looks_like_ipv6(std::string_view text) {
    return std::count(text.begin(), text.end(), ':') >= 2 &&
           std::all_of(
               text.begin(), text.end(), [](char c) { return is_hex_digit(c) || c == ':' || c == '.'; });
}

// A commonName that means a host: it has a dot and no space (not "Acme Issuing CA").
bool is_domain_like(std::string_view text) {
    return text.find('.') != std::string_view::npos && text.find(' ') == std::string_view::npos;
}

}  // namespace

RuleResult check_san_dns_names(const Certificate& certificate, std::size_t index) {
    for (const std::string& name : names_of_kind(certificate, GeneralName::Kind::dns)) {
        if (!is_dns_name_or_wildcard(name)) {
            return rule_finding(FindingCode::malformed_dns_name,
                                index,
                                certificate,
                                fmt::format("subjectAltName DNS:{} is not a valid DNS name", name));
        }
    }
    return std::nullopt;
}

RuleResult check_san_present(const Certificate& certificate, std::size_t index) {
    if (!extension_criticality(certificate, NID_subject_alt_name)) {
        return rule_finding(FindingCode::san_missing, index, certificate, "no subjectAltName");
    }
    return std::nullopt;
}

RuleResult check_san_not_critical(const Certificate& certificate, std::size_t index) {
    // RFC 5280 4.2.1.6: "If the subject field contains an empty sequence, then the issuing CA MUST
    // include a subjectAltName extension that is marked as critical"; CABF BR 7.1.2.7.12 forbids the
    // critical flag otherwise.
    if (extension_criticality(certificate, NID_subject_alt_name) == true &&
        X509_NAME_entry_count(X509_get_subject_name(certificate.structure())) > 0) {
        return rule_finding(FindingCode::san_critical_with_subject,
                            index,
                            certificate,
                            "subjectAltName is critical although the subject is not empty");
    }
    return std::nullopt;
}

RuleResult check_common_name_ip(const Certificate& certificate, std::size_t index) {
    const std::string common_name = certificate.subject_common_name();
    if (!looks_like_ipv4(common_name) && !looks_like_ipv6(common_name)) {
        return std::nullopt;
    }
    // The SAN's addresses as inet_ntop writes them: dotted decimal, or RFC 5952 (lower case, longest
    // zero run compressed), which is the canonical text CABF BR 7.1.4.3 asks the commonName to be.
    const std::vector<std::string> addresses = names_of_kind(certificate, GeneralName::Kind::ip);
    if (std::find(addresses.begin(), addresses.end(), common_name) == addresses.end()) {
        return rule_finding(
            FindingCode::common_name_ip_not_canonical,
            index,
            certificate,
            fmt::format("commonName {} is not the canonical text of a subjectAltName IP address",
                        common_name));
    }
    return std::nullopt;
}

RuleResult check_common_name_case(const Certificate& certificate, std::size_t index) {
    const std::string common_name = certificate.subject_common_name();
    for (const std::string& name : names_of_kind(certificate, GeneralName::Kind::dns)) {
        if (name != common_name && ascii_lower(name) == ascii_lower(common_name)) {
            return rule_finding(
                FindingCode::common_name_case_mismatch,
                index,
                certificate,
                fmt::format("commonName {} differs from subjectAltName DNS:{} in case", common_name, name));
        }
    }
    return std::nullopt;
}

RuleResult check_common_name_ascii(const Certificate& certificate, std::size_t index) {
    const std::string common_name = certificate.subject_common_name();
    const bool ascii = std::all_of(
        common_name.begin(), common_name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (!ascii && is_domain_like(common_name)) {
        return rule_finding(
            FindingCode::common_name_not_ascii,
            index,
            certificate,
            fmt::format("commonName {} is not ASCII (a domain name must be written as its A-label)",
                        common_name));
    }
    return std::nullopt;
}

RuleResult check_wildcard_public_suffix(const Certificate& certificate,
                                        std::size_t index,
                                        bool include_private) {
    for (const std::string& name : names_of_kind(certificate, GeneralName::Kind::dns)) {
        if (!name.starts_with("*.")) {
            continue;
        }
        const SuffixSection section = PublicSuffixList::system().section_of(name.substr(2));
        if (section == SuffixSection::icann ||
            (include_private && section == SuffixSection::private_domains)) {
            return rule_finding(
                FindingCode::wildcard_public_suffix,
                index,
                certificate,
                fmt::format("subjectAltName DNS:{} covers the whole public suffix {}", name, name.substr(2)));
        }
    }
    return std::nullopt;
}

}  // namespace certfleet::pki
