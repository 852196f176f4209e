#pragma once
// puppet_ca/ owns the rules of the Puppet CA API v1 (what puppet agent 7 calls at /puppet-ca/v1, seed
// 003): which certnames are valid, whether an agent's CSR may be queued under the certname it was sent
// to, and puppetserver's wording for the refusals the agent acts on. The queue itself is enrollment's
// (one queue whatever the protocol); the routes are in server/puppet_ca_routes.

#include "pki/csr.hpp"

#include <string>
#include <string_view>

namespace certfleet::puppet_ca {

/// Throws Error(invalid_input) unless `certname` is what Puppet accepts: lower case letters, digits,
/// '.', '-' and '_', not empty, at most 255 characters (Puppet refuses upper case certnames).
void require_valid_certname(std::string_view certname);

/// What the CSR may carry besides its commonName.
struct CsrRules {
    bool allow_subject_alt_names = false;  ///< puppetserver's allow-subject-alt-names (dns_alt_names)
};

/// Checks an agent's CSR sent to PUT certificate_request/`certname`: its signature verifies, its
/// commonName is the certname, and it carries no subject alternative names unless `rules` allow them
/// (the certname itself as a DNS name is always allowed). Throws Error(invalid_input) with puppetserver's
/// message, which the agent logs.
void check_agent_csr(const pki::Csr& csr, std::string_view certname, const CsrRules& rules);

}  // namespace certfleet::puppet_ca
