#pragma once

#include "pki/openssl_handles.hpp"

#include <string>
#include <string_view>

namespace certfleet::pki {

/// Returns `name` as an RFC 4514 string, most specific first ("CN=node1,O=Acme,C=GR"), as
/// `openssl x509 -nameopt RFC2253` prints it (UTF-8 kept as UTF-8).
std::string format_name(const X509_NAME* name);

/// Returns the last commonName of `name`, or "" if it has none.
std::string common_name(const X509_NAME* name);

/// Parses a subject written by an operator: RFC 4514 ("CN=node1,O=Acme,C=GR", most specific first;
/// `\,` escapes a comma) or OpenSSL's slash form ("/C=GR/O=Acme/CN=node1", in encoding order).
/// Throws Error(invalid_input) naming `field` for an empty subject, a part without '=', an unknown
/// attribute or an empty value.
X509NamePtr parse_name(std::string_view text, std::string_view field);

}  // namespace certfleet::pki
