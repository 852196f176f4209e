#pragma once

#include <string>
#include <string_view>

namespace certfleet::pki {

/// Returns true if `name` is a host name as certificates must carry it: dot-separated labels of letters,
/// digits and hyphens (RFC 1034 3.5 as relaxed by RFC 1123 2.1), no label empty, longer than 63 octets,
/// or starting or ending with a hyphen, at most 253 octets in all, no trailing dot.
bool is_dns_name(std::string_view name);

/// Returns true if `name` is a DNS name, or "*." followed by one (a wildcard in the first label only,
/// as the CA/Browser Forum Baseline Requirements allow it).
bool is_dns_name_or_wildcard(std::string_view name);

/// Returns `text` with ASCII letters lower-cased (DNS names compare case-insensitively, RFC 4343).
std::string ascii_lower(std::string_view text);

/// Returns true if `name` equals `subtree` or lies below it ("a.example.com" below "example.com"), case
/// folded; a `subtree` with a leading "." (as openssl writes constraints) matches only names below it.
bool is_within_subtree(std::string_view name, std::string_view subtree);

}  // namespace certfleet::pki
