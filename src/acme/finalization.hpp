#pragma once

#include "acme/jwk.hpp"
#include "acme/problem.hpp"
#include "authority/authority.hpp"
#include "store/acme_records.hpp"

#include <string>

namespace certfleet::acme {

/// Returns "acme:acct/<id>", the requester and audit actor of everything an account does.
std::string account_actor(std::int64_t account_id);

/// Returns the IssueRequest for finalizing `order` with `csr` (which must outlive it): profile "server",
/// requester "acme:acct/<id>", and an Authorisation that covers exactly the order's identifiers, so the
/// authority refuses any other name even if the CSR check were skipped.
authority::IssueRequest issue_request_for(const store::AcmeOrderRecord& order, const pki::Csr& csr);

/// Issues the certificate of a ready order: checks the CSR's names (badCSR), then Authority::issue.
/// Returns badCSR for a CSR the authority finds invalid, rejectedIdentifier naming the rule when the
/// policy refuses. The caller moved the order to processing before, and records the outcome after.
/// Throws Error for failures that are ours (store unavailable: the route answers serverInternal).
Checked<authority::IssuedCertificate> finalize_order(const authority::Authority& authority,
                                                     const store::AcmeOrderRecord& order,
                                                     const pki::Csr& csr,
                                                     core::TimePoint now);

/// Who signed a revokeCert request (RFC 8555 7.6).
struct RevocationRequester {
    std::optional<std::int64_t> account_id;       ///< signed with an account key ("kid")
    const AccountKey* certificate_key = nullptr;  ///< signed with the certificate's own key ("jwk")
};

/// Revokes the certificate in a revokeCert payload ({"certificate": base64url DER, "reason": n}) through
/// Authority::revoke, which also regenerates the CRL. An account may revoke what it was issued (the
/// ledger's requester is its actor); the certificate's own key may revoke it. Returns malformed for a bad
/// payload or certificate, unauthorized when neither rule allows it, badRevocationReason for a code RFC
/// 5280 does not define (7 included), alreadyRevoked; the revoked record otherwise.
Checked<store::CertificateRecord> revoke_certificate(const authority::Authority& authority,
                                                     store::Store& store,
                                                     const nlohmann::json& payload,
                                                     const RevocationRequester& requester,
                                                     core::TimePoint now,
                                                     core::Seconds crl_validity);

}  // namespace certfleet::acme
