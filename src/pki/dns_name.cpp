#include "pki/dns_name.hpp"

#include <algorithm>

namespace certfleet::pki {
namespace {

bool is_label(std::string_view label) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
        return false;
    }
    return std::all_of(label.begin(), label.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    });
}

}  // namespace

bool is_dns_name(std::string_view name) {
    if (name.empty() || name.size() > 253) {
        return false;
    }
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = name.find('.', start);
        if (!is_label(name.substr(start, dot == std::string_view::npos ? dot : dot - start))) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        start = dot + 1;
    }
}

bool is_dns_name_or_wildcard(std::string_view name) {
    return name.starts_with("*.") ? is_dns_name(name.substr(2)) : is_dns_name(name);
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(), [](char c) {
        return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    });
    return out;
}

bool is_within_subtree(std::string_view name, std::string_view subtree) {
    const std::string folded_name = ascii_lower(name);
    std::string folded_subtree = ascii_lower(subtree);
    if (folded_subtree.starts_with('.')) {
        return folded_name.size() > folded_subtree.size() && folded_name.ends_with(folded_subtree);
    }
    return folded_name == folded_subtree ||
           (folded_name.size() > folded_subtree.size() && folded_name.ends_with("." + folded_subtree));
}

}  // namespace certfleet::pki
