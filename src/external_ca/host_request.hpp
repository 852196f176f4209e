#pragma once

#include "pki/private_key.hpp"
#include "pki/subject_alt_names.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::external_ca {

/// One host that needs a certificate from the external CA.
struct HostRequest {
    std::string name;                                 ///< the hostname; also the file stem and JKS alias
    std::string subject;                              ///< the full subject asked for
    std::vector<pki::GeneralName> subject_alt_names;  ///< the hostname first, then its aliases
};

/// What the customer requires of every CSR.
struct CsrPlan {
    pki::KeySpec key_spec;
    std::vector<HostRequest> hosts;
};

/// Returns the subject for `host` from `subject_template`: "{name}" is replaced by the hostname; a
/// template without "{name}" and without CN gets "CN=<host>," in front ("O=Acme,C=GR" ->
/// "CN=node1.example.com,O=Acme,C=GR"). Throws Error(invalid_input) if the result is not a valid subject.
std::string subject_for(std::string_view host, std::string_view subject_template);

/// Parses "node1.example.com,node1,10.0.0.1" (a --host flag): the hostname, then aliases (DNS or IP).
/// Throws Error(invalid_input) naming the flag for an invalid name.
HostRequest parse_host_flag(std::string_view text, std::string_view subject_template);

/// Parses a hosts file:
///   subject: "O=Acme,C=GR"        # optional template, default "CN={name}"
///   key_type: rsa:2048            # optional, default rsa:2048 (what most customer CAs expect)
///   hosts:
///     - name: node1.example.com
///       aliases: [node1, 10.0.0.1]
///       subject: "CN=node1.example.com,OU=Edge,O=Acme"   # optional, overrides the template
/// Throws Error(invalid_input) naming `source` and the host for any bad entry, or duplicate names.
CsrPlan parse_host_list(std::string_view yaml, std::string_view source);

}  // namespace certfleet::external_ca
