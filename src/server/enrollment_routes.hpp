#pragma once

#include "authority/authority.hpp"
#include "core/clock.hpp"
#include "enrollment/request_queue.hpp"
#include "server/router.hpp"
#include "server/server_config.hpp"
#include "store/store.hpp"

namespace certfleet::server {

/// Returns the request queue settings of `config` (reads autosign.challenge_file).
/// Throws Error(invalid_input) naming the field for an unreadable or empty challenge file.
enrollment::QueueSettings queue_settings(const RequestQueueConfig& config);

/// Adds the enrollment routes (no client certificate needed): POST /v1/enroll, POST /v1/requests and
/// GET /v1/requests/{id}. The references must outlive the router.
void add_enrollment_routes(Router& router,
                           store::Store& store,
                           const authority::Authority& ca,
                           const core::Clock& clock,
                           const RequestQueueConfig& config);

}  // namespace certfleet::server
