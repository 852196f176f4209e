#pragma once

#include "authority/authority.hpp"
#include "enrollment/request_queue.hpp"
#include "server/request_context.hpp"
#include "store/store.hpp"

namespace certfleet::server {

/// POST /v1/requests (api::CsrSubmission, no token): queues the CSR and applies the autosign rules
/// (enrollment::submit_request). Answers 201 with api::RequestStatus holding the certificate when autosign
/// issued it, else 202 with the pending request's id; 400 for a CSR that cannot be read or verified, 409
/// when the name already has a pending request.
HttpResponse handle_submit_request(const RequestContext& context,
                                   store::Store& store,
                                   const authority::Authority& ca,
                                   const enrollment::QueueSettings& settings,
                                   core::TimePoint now);

/// GET /v1/requests/{id}: api::RequestStatus: pending, issued (with the certificate and chain) or denied
/// (with the reason). 404 for an unknown id.
HttpResponse handle_get_request(const RequestContext& context,
                                store::Store& store,
                                const authority::Authority& ca);

}  // namespace certfleet::server
