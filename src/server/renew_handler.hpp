#pragma once

#include "authority/authority.hpp"
#include "server/request_context.hpp"
#include "store/store.hpp"

namespace certfleet::server {

/// POST /v1/renew (mTLS, api::CsrSubmission): a node renews the certificate it authenticated with. The
/// CSR (a new key, or the same) must keep the subject and ask only for names the current certificate has
/// (enrollment::judge_renewal); the new certificate comes from the same authority with the same profile,
/// recorded as renewing the current one. Answers 201 with api::IssuedCertificate; 400 for a CSR that
/// cannot be read, 403 for a subject or names the certificate does not have (naming them).
HttpResponse handle_renew(const RequestContext& context,
                          store::Store& store,
                          const authority::Authority& ca,
                          core::TimePoint now);

}  // namespace certfleet::server
