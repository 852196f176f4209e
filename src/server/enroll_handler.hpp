#pragma once

#include "authority/authority.hpp"
#include "server/request_context.hpp"
#include "store/store.hpp"

namespace certfleet::server {

/// POST /v1/enroll (api::EnrollRequest, no client certificate): a node's first certificate, paid by a
/// one-time token (enrollment::enroll_with_token). Answers 201 with api::IssuedCertificate; 400 for a
/// body or CSR that cannot be read or a CSR signature that does not verify; 403 for a token that is
/// unknown, used, expired or does not grant a name the CSR asks for (naming the reason, never the token).
HttpResponse handle_enroll(const RequestContext& context,
                           store::Store& store,
                           const authority::Authority& ca,
                           core::TimePoint now);

}  // namespace certfleet::server
