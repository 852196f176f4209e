#include "pki/subject_alt_names.hpp"

#include "core/separated_list.hpp"
#include "pki/bytes.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

#include <algorithm>
#include <arpa/inet.h>
#include <array>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;

std::string asn1_string_text(const ASN1_STRING* s) {
    return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
            static_cast<std::size_t>(ASN1_STRING_length(s))};
}

std::string ip_text(const ASN1_OCTET_STRING* ip) {
    const unsigned char* data = ASN1_STRING_get0_data(ip);
    std::array<char, INET6_ADDRSTRLEN> buf{};
    if (ASN1_STRING_length(ip) == 4 && inet_ntop(AF_INET, data, buf.data(), buf.size()) != nullptr) {
        return buf.data();
    }
    if (ASN1_STRING_length(ip) == 16 && inet_ntop(AF_INET6, data, buf.data(), buf.size()) != nullptr) {
        return buf.data();
    }
    return to_hex(data, static_cast<std::size_t>(ASN1_STRING_length(ip)), ":");
}

bool is_ldh_label(std::string_view label) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        return false;
    }
    return std::all_of(label.begin(), label.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
               c == '_';
    });
}

bool is_dns_name(std::string_view name) {
    if (name.size() > 253) {
        return false;
    }
    if (name.substr(0, 2) == "*.") {
        name.remove_prefix(2);
    }
    if (!name.empty() && name.back() == '.') {
        name.remove_suffix(1);
    }
    if (name.empty()) {
        return false;
    }
    std::size_t start = 0;
    while (start <= name.size()) {
        const auto dot = name.find('.', start);
        const auto end = dot == std::string_view::npos ? name.size() : dot;
        if (!is_ldh_label(name.substr(start, end - start))) {
            return false;
        }
        if (dot == std::string_view::npos) {
            break;
        }
        start = dot + 1;
    }
    return true;
}

bool parses_as_ip(const std::string& text) {
    std::array<unsigned char, 16> buf{};
    return inet_pton(AF_INET, text.c_str(), buf.data()) == 1 ||
           inet_pton(AF_INET6, text.c_str(), buf.data()) == 1;
}

}  // namespace

std::string_view to_string(GeneralName::Kind kind) {
    switch (kind) {
        case GeneralName::Kind::dns:
            return "DNS";
        case GeneralName::Kind::ip:
            return "IP";
        case GeneralName::Kind::email:
            return "email";
        case GeneralName::Kind::uri:
            return "URI";
        case GeneralName::Kind::other:
            return "othername";
    }
    return "othername";
}

std::string to_string(const GeneralName& name) {
    return fmt::format("{}:{}", to_string(name.kind), name.value);
}

std::vector<GeneralName> read_general_names(const GENERAL_NAMES* names) {
    std::vector<GeneralName> out;
    for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
        switch (gn->type) {
            case GEN_DNS:
                out.push_back({GeneralName::Kind::dns, asn1_string_text(gn->d.dNSName)});
                break;
            case GEN_IPADD:
                out.push_back({GeneralName::Kind::ip, ip_text(gn->d.iPAddress)});
                break;
            case GEN_EMAIL:
                out.push_back({GeneralName::Kind::email, asn1_string_text(gn->d.rfc822Name)});
                break;
            case GEN_URI:
                out.push_back({GeneralName::Kind::uri, asn1_string_text(gn->d.uniformResourceIdentifier)});
                break;
            default:
                out.push_back({GeneralName::Kind::other, ""});
                break;
        }
    }
    return out;
}

GeneralName parse_general_name(std::string_view text, std::string_view field) {
    const auto colon = text.find(':');
    std::string kind = colon == std::string_view::npos ? "" : std::string(text.substr(0, colon));
    std::string value(colon == std::string_view::npos ? text : text.substr(colon + 1));
    for (char& c : kind) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    const auto bad = [&](std::string_view why) {
        return Error(ErrorCode::invalid_input, fmt::format("{}: \"{}\" {}", field, text, why));
    };
    // A bare IPv6 address has colons too: "fe80::1" is an address, not a name of type "fe80".
    if (colon != std::string_view::npos && kind != "dns" && kind != "ip" && kind != "email" &&
        kind != "uri" && parses_as_ip(std::string(text))) {
        return {GeneralName::Kind::ip, std::string(text)};
    }
    if (kind.empty()) {
        kind = parses_as_ip(value) ? "ip" : "dns";
    }
    if (kind == "dns") {
        if (!is_dns_name(value)) {
            throw bad("is not a valid DNS name (letters, digits, '-' and '.', optional leading \"*.\")");
        }
        return {GeneralName::Kind::dns, value};
    }
    if (kind == "ip") {
        if (!parses_as_ip(value)) {
            throw bad("is not an IPv4 or IPv6 address");
        }
        return {GeneralName::Kind::ip, value};
    }
    if (kind == "email") {
        const auto at = value.find('@');
        if (at == std::string::npos || at == 0 || at + 1 == value.size() ||
            value.find(' ') != std::string::npos) {
            throw bad("is not an email address");
        }
        return {GeneralName::Kind::email, value};
    }
    if (kind == "uri") {
        if (value.find(':') == std::string::npos || value.find(' ') != std::string::npos) {
            throw bad("is not a URI");
        }
        return {GeneralName::Kind::uri, value};
    }
    throw bad("has an unknown type (use DNS:, IP:, email: or URI:)");
}

std::vector<GeneralName> parse_general_names(std::string_view text, std::string_view field) {
    std::vector<GeneralName> out;
    for (std::string_view item : core::split_list(text)) {
        while (!item.empty() && item.front() == ' ') {
            item.remove_prefix(1);
        }
        while (!item.empty() && item.back() == ' ') {
            item.remove_suffix(1);
        }
        if (!item.empty()) {
            out.push_back(parse_general_name(item, field));
        }
    }
    return out;
}

GeneralNamesPtr to_general_names(const std::vector<GeneralName>& names) {
    GeneralNamesPtr out(sk_GENERAL_NAME_new_null());
    if (!out) {
        throw_openssl_error(ErrorCode::internal, "out of memory");
    }
    for (const GeneralName& name : names) {
        GeneralNamePtr gn(GENERAL_NAME_new());
        if (!gn) {
            throw_openssl_error(ErrorCode::internal, "out of memory");
        }
        if (name.kind == GeneralName::Kind::ip) {
            Asn1OctetStringPtr ip(a2i_IPADDRESS(name.value.c_str()));
            if (!ip) {
                throw_openssl_error(ErrorCode::invalid_input,
                                    fmt::format("\"{}\" is not an IP address", name.value));
            }
            GENERAL_NAME_set0_value(gn.get(), GEN_IPADD, ip.release());
        } else {
            const int type = name.kind == GeneralName::Kind::dns     ? GEN_DNS
                             : name.kind == GeneralName::Kind::email ? GEN_EMAIL
                                                                     : GEN_URI;
            Asn1StringPtr ia5(ASN1_IA5STRING_new());
            if (!ia5 ||
                ASN1_STRING_set(ia5.get(), name.value.data(), static_cast<int>(name.value.size())) != 1) {
                throw_openssl_error(ErrorCode::internal, "out of memory");
            }
            GENERAL_NAME_set0_value(gn.get(), type, ia5.release());
        }
        if (sk_GENERAL_NAME_push(out.get(), gn.get()) == 0) {
            throw_openssl_error(ErrorCode::internal, "out of memory");
        }
        static_cast<void>(gn.release());  // the stack owns it now
    }
    return out;
}

}  // namespace certfleet::pki
