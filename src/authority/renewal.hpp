#pragma once

#include "authority/issue_request.hpp"
#include "pki/certificate.hpp"
#include "pki/csr.hpp"
#include "pki/private_key.hpp"
#include "store/records.hpp"

#include <optional>
#include <string>

namespace certfleet::authority {

/// What a renewal keeps of the certificate it renews: its subject, subjectAltNames and profile.
struct RenewalBasis {
    pki::CsrRequest names;  ///< subject and subjectAltNames, for the new key's CSR
    std::string profile;
    std::string renews_serial;
};

/// Returns what renewing `old` keeps. Throws Error(conflict) if `old` is revoked (a revoked certificate is
/// replaced by a new issuance, not renewed), Error(invalid_input) if its DER cannot be read.
RenewalBasis renewal_basis(const store::CertificateRecord& old);

/// Returns the request that renews `basis` for `csr` (made for the new or the reused key from
/// basis.names): the same profile, recorded as renewing the old serial, and authorised for the old names
/// only, so a renewal never widens what a certificate covers.
IssueRequest renewal_request(const RenewalBasis& basis, const pki::Csr& csr, std::string requester);

}  // namespace certfleet::authority
