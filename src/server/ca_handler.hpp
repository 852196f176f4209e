#pragma once

#include "authority/authority.hpp"
#include "server/crl_publisher.hpp"
#include "server/request_context.hpp"

namespace certfleet::server {

/// GET /v1/ca: the authority's chain and root as JSON (api::CaBundle), or the chain as PEM text with
/// ?format=pem (for `curl -o ca.pem`).
HttpResponse handle_get_ca(const RequestContext& context, const authority::Authority& ca);

/// GET /v1/crl: the current CRL, DER (application/pkix-crl, as CRL distribution points serve it) or PEM
/// with ?format=pem. Signs a new one first when it is missing or due.
HttpResponse handle_get_crl(const RequestContext& context, CrlPublisher& crl, core::TimePoint now);

}  // namespace certfleet::server
