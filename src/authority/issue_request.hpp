#pragma once

#include "core/duration.hpp"
#include "pki/csr.hpp"
#include "pki/subject_alt_names.hpp"
#include "store/records.hpp"
#include "store/transaction.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace certfleet::authority {

/// What the caller may get, decided by how it proved who it is: an operator (the policy alone decides), a
/// one-time token bound to names, a node renewing its own names, an ACME order's identifiers, a Puppet
/// certname. Checked after the policy.
struct Authorisation {
    std::string basis = "operator";  ///< named in refusals: "token 3f2a", "renewal of 0a1b", "acme order 42"
    /// The names the caller may get; nullopt means any name the policy allows.
    std::optional<std::vector<pki::GeneralName>> names;
    std::optional<core::Seconds> max_validity;  ///< nullopt: the profile's and the policy's limits only
};

/// One request for a certificate, from anyone (CLI, server, ACME, Puppet).
struct IssueRequest {
    const pki::Csr* csr = nullptr;  ///< required; proof of possession of the subject key
    std::string profile = "server";
    std::optional<core::Seconds> validity;      ///< the profile's when absent
    std::vector<pki::GeneralName> extra_names;  ///< added to the CSR's subjectAltNames
    std::string subject_override;               ///< replaces the CSR subject when not empty
    std::string requester;                      ///< required: "cli:root", "node:db1", "acme:acct/42"
    Authorisation authorisation;
    bool exact_validity = false;  ///< refuse a validity past the issuer's expiry, not cut it
    std::string renews_serial;    ///< recorded as the certificate this one renews
    store::UnitOfWork also;       ///< committed with the certificate (e.g. consume a token)
    /// Committed with the certificate, given its record (e.g. a token or a request naming its serial);
    /// throwing rolls the certificate back and is rethrown by issue().
    std::function<void(store::Transaction&, const store::CertificateRecord&)> also_with_record;
    /// Runs first in the certificate's unit of work and returns the requester to record instead of
    /// `requester`: for one that exists only once recorded in the same commit (an autosigned request,
    /// "request:ID"), so that the request and its certificate cost one durable commit.
    std::function<std::string(store::Transaction&)> requester_in_unit;
};

}  // namespace certfleet::authority
