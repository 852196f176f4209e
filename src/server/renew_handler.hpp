#pragma once

#include "authority/authority.hpp"
#include "pki/csr.hpp"
#include "server/request_context.hpp"
#include "store/store.hpp"

namespace certfleet::server {

/// Renews the certificate `caller` authenticated with (run_handler checked it: issued here, unexpired,
/// unrevoked) with `csr`: same authority, same subject, only names the current certificate has
/// (enrollment::judge_renewal), same profile, recorded as renewing it and requested by "node:NAME" (its
/// commonName; its serial when it has none). Throws Error(forbidden) naming the serial and the subject or
/// names at fault; what Authority::issue throws. Shared by POST /v1/renew and the Puppet CA API's POST
/// certificate_renewal.
authority::IssuedCertificate renew_client_certificate(const ClientCertificate& caller,
                                                      const pki::Csr& csr,
                                                      store::Store& store,
                                                      const authority::Authority& ca,
                                                      core::TimePoint now);

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
