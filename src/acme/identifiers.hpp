#pragma once

#include "acme/problem.hpp"
#include "authority/policy.hpp"
#include "pki/csr.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace certfleet::acme {

/// The most identifiers one order may carry (Let's Encrypt allows 100 names per certificate).
constexpr std::size_t max_identifiers = 100;

/// Reads newOrder's "identifiers" ([{"type": "dns", "value": "a.example"}]) and judges them against the
/// authority's policy. Returns the names in lower case, sorted and without duplicates; or malformed for a
/// bad shape, an empty list or more than max_identifiers; unsupportedIdentifier for a type other than
/// "dns"; rejectedIdentifier for a wildcard (no dns-01 here, and http-01 cannot prove one: RFC 8555 8.3),
/// a name that is not a host name, or one the policy refuses, naming the rule, with one subproblem per
/// refused identifier (RFC 8555 6.7.1).
Checked<std::vector<std::string>> check_order_identifiers(const nlohmann::json& identifiers,
                                                          const authority::Policy& policy);

/// Returns the names a CSR asks for: its DNS subjectAltNames and its commonName, lower case, sorted,
/// without duplicates.
std::vector<std::string> csr_dns_names(const pki::Csr& csr);

/// Checks a finalize CSR against the order's identifiers (RFC 8555 7.4: the CSR "MUST indicate the exact
/// same set of requested identifiers as the initial newOrder request"). Returns badCSR naming the names
/// missing and the names extra, a non-DNS subjectAltName, or a signature that does not verify; nullopt
/// when it matches.
std::optional<Problem> check_csr_names(const pki::Csr& csr, const std::vector<std::string>& identifiers);

}  // namespace certfleet::acme
