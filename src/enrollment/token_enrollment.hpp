#pragma once

#include "authority/authority.hpp"
#include "core/duration.hpp"
#include "enrollment/bootstrap_token.hpp"
#include "pki/csr.hpp"
#include "store/store.hpp"

#include <string>
#include <vector>

namespace certfleet::enrollment {

/// What a new token grants.
struct TokenSpec {
    std::string authority;
    std::vector<pki::GeneralName> names;  ///< at least one; the CSR may name these and nothing else
    std::string profile = "peer";         ///< peer: a server certificate that can also renew over mTLS
    core::Seconds ttl{3600};
    std::string created_by;  ///< "cli:alice"
};

/// Records a new one-time token for `spec` at `now` (only its hash, with an audit entry naming the hash
/// prefix and the names) and returns it. Needs no CA key. Throws Error(invalid_input) for no names or a
/// ttl that is not positive or an unknown profile, Error(not_found) for an unknown authority.
NewToken create_token(store::Store& store, const TokenSpec& spec, core::TimePoint now);

/// Returns the names a CSR asks for as the authority collects them: its commonName when it is a DNS
/// name or an IP address, then its subjectAltNames, without repeats.
std::vector<pki::GeneralName> requested_names(const pki::Csr& csr);

/// Issues a certificate for `csr` paid by `token` (POST /v1/enroll): the token must be known to `ca`'s
/// authority, unused, unexpired at `now`, and grant every name the CSR asks for; it is consumed in the
/// commit that records the certificate, so of two requests with one token (on two servers) exactly one
/// gets a certificate. Throws Error(invalid_input) for a CSR whose signature does not verify,
/// Error(forbidden) naming the reason (unknown, used, expired, a name not granted; never the token) and
/// writes the refusal to the audit log.
authority::IssuedCertificate enroll_with_token(store::Store& store,
                                               const authority::Authority& ca,
                                               const core::Secret& token,
                                               const pki::Csr& csr,
                                               core::TimePoint now);

}  // namespace certfleet::enrollment
