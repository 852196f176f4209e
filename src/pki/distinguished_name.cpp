#include "pki/distinguished_name.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

#include <algorithm>
#include <vector>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;

struct Attribute {
    std::string type;
    std::string value;
};

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') {
        s.remove_prefix(1);
    }
    while (!s.empty() && s.back() == ' ') {
        s.remove_suffix(1);
    }
    return s;
}

// Splits on `separator`, honouring backslash escapes, and drops the escapes.
std::vector<std::string> split_escaped(std::string_view text, char separator) {
    std::vector<std::string> parts(1);
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\' && i + 1 < text.size()) {
            parts.back() += text[++i];
        } else if (c == separator) {
            parts.emplace_back();
        } else {
            parts.back() += c;
        }
    }
    return parts;
}

}  // namespace

std::string format_name(const X509_NAME* name) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
        throw_openssl_error(ErrorCode::internal, "cannot print name");
    }
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return {data, static_cast<std::size_t>(len)};
}

std::string common_name(const X509_NAME* name) {
    int index = -1;
    int last = -1;
    while ((index = X509_NAME_get_index_by_NID(name, NID_commonName, index)) >= 0) {
        last = index;
    }
    if (last < 0) {
        return {};
    }
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, last));
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, data);
    if (len < 0) {
        ERR_clear_error();
        return {};
    }
    const OpensslBytesPtr owned(utf8);
    return {reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len)};
}

X509NamePtr parse_name(std::string_view text, std::string_view field) {
    text = trim(text);
    if (text.empty()) {
        throw Error(ErrorCode::invalid_input, fmt::format("{}: the subject is empty", field));
    }
    std::vector<std::string> parts;
    const bool slash_form = text.front() == '/';
    if (slash_form) {
        parts = split_escaped(text.substr(1), '/');
    } else {
        parts = split_escaped(text, ',');
        std::reverse(parts.begin(), parts.end());  // RFC 4514 writes the most specific RDN first
    }
    X509NamePtr name(X509_NAME_new());
    if (!name) {
        throw_openssl_error(ErrorCode::internal, "out of memory");
    }
    for (const std::string& part : parts) {
        const std::string_view item = trim(part);
        const auto eq = item.find('=');
        if (eq == std::string_view::npos) {
            throw Error(ErrorCode::invalid_input,
                        fmt::format(R"({}: "{}" is not TYPE=value (in "{}"))", field, item, text));
        }
        const std::string type(trim(item.substr(0, eq)));
        const std::string value(trim(item.substr(eq + 1)));
        if (value.empty()) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: {} has an empty value", field, type));
        }
        if (OBJ_txt2nid(type.c_str()) == NID_undef) {
            ERR_clear_error();
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("{}: unknown attribute \"{}\" (use CN, O, OU, L, ST, C, ...)", field, type));
        }
        if (X509_NAME_add_entry_by_txt(name.get(),
                                       type.c_str(),
                                       MBSTRING_UTF8,
                                       reinterpret_cast<const unsigned char*>(value.c_str()),
                                       static_cast<int>(value.size()),
                                       -1,
                                       0) != 1) {
            throw_openssl_error(ErrorCode::invalid_input,
                                fmt::format("{}: {}=\"{}\" is not a valid value", field, type, value));
        }
    }
    return name;
}

}  // namespace certfleet::pki
