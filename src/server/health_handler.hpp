#pragma once

#include "server/request_context.hpp"
#include "store/store.hpp"

namespace certfleet::server {

/// GET /healthz: the process answers (no store access, so a load balancer's probe stays cheap).
HttpResponse handle_healthz(const RequestContext& context);

/// GET /readyz: the store answers a query. Throws Error(unavailable) naming the cause when it does not,
/// which error_response() turns into 503 with Retry-After.
HttpResponse handle_readyz(const RequestContext& context, store::Store& store);

}  // namespace certfleet::server
