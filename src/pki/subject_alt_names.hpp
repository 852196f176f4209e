#pragma once

#include "pki/openssl_handles.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::pki {

/// One subjectAltName entry (RFC 5280 4.2.1.6), in the forms operators write: "DNS:a.example",
/// "IP:10.0.0.1", "email:ops@example.com", "URI:spiffe://cluster/node1".
struct GeneralName {
    enum class Kind { dns, ip, email, uri, other };
    Kind kind = Kind::dns;
    std::string value;

    friend bool operator==(const GeneralName&, const GeneralName&) = default;
};

/// Returns "DNS", "IP", "email", "URI" or "othername".
std::string_view to_string(GeneralName::Kind kind);

/// Returns "DNS:a.example".
std::string to_string(const GeneralName& name);

/// Returns the names in `names`, in order; IP addresses are printed as text (IPv6 compressed).
std::vector<GeneralName> read_general_names(const GENERAL_NAMES* names);

/// Parses "DNS:a.example" (also "IP:", "email:", "URI:"); a bare value is DNS, or IP if it parses as one.
/// DNS names must be LDH labels, optionally with a leading "*." wildcard label.
/// Throws Error(invalid_input) naming `field` and the entry otherwise.
GeneralName parse_general_name(std::string_view text, std::string_view field);

/// Parses a comma-separated list of names ("DNS:a,DNS:*.b,IP:10.0.0.1").
std::vector<GeneralName> parse_general_names(std::string_view text, std::string_view field);

/// Returns an owned GENERAL_NAMES holding `names` (for a subjectAltName extension).
GeneralNamesPtr to_general_names(const std::vector<GeneralName>& names);

}  // namespace certfleet::pki
