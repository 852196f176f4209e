#pragma once
// What an operator does to the fleet of one authority (`certfleet request`, `node`, `token`), answered
// as the admin wire types: the CLI calls these on the store directly, and the server's admin routes
// (server/admin_routes.hpp) call the same functions for the CLI's --server mode, so both print the same.

#include "api/admin_messages.hpp"
#include "authority/authority.hpp"
#include "core/clock.hpp"
#include "store/node_records.hpp"
#include "store/request_records.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <string_view>

namespace certfleet::enrollment {

/// Returns `request` as an operator sees it (the names its CSR asks for, "?" when unreadable).
api::RequestSummary request_summary(const store::CertificateRequestRecord& request);

/// Returns the pending requests of `authority`, oldest first; every request when `all`.
api::RequestList list_requests(store::Store& store, std::string_view authority, bool all);

/// Issues the pending request `decision.request` (an id or a name), or every pending request when
/// `decision.all`, as `actor`, each audited as request.approve. Returns them, issued.
/// Throws Error(invalid_input) for neither or both of a request and `all`, Error(not_found) for no such
/// pending request, Error(conflict) if it was decided meanwhile, and what Authority::issue throws.
api::RequestList approve_requests(store::Store& store,
                                  const authority::Authority& ca,
                                  const api::RequestDecision& decision,
                                  const store::Actor& actor);

/// Denies the pending request `decision.request` with `decision.reason` as `actor`; returns it.
/// Throws Error(invalid_input) for no request, Error(not_found) or Error(conflict) as deny_request.
api::RequestSummary deny_pending_request(store::Store& store,
                                         std::string_view authority,
                                         const api::RequestDecision& decision,
                                         const store::Actor& actor);

/// Returns the nodes of `authority`: connected at `now` or not, last seen, agent version, and per
/// tracked certificate what the node reported, completed from the ledger when it knows the serial.
api::NodeList list_nodes(store::Store& store, std::string_view authority, core::TimePoint now);

/// Queues `request` (an action kind of enrollment::ActionKind) for a connected node as `actor`, with an
/// audit entry; the server wakes the node's long-poll within a second. Returns the queued action.
/// Throws Error(invalid_input) for an unknown kind, Error(not_found) for a node that never reached the
/// authority, Error(unavailable) "No connection with NODE" for a node that is not connected.
api::NodeActionStatus queue_node_action(store::Store& store,
                                        std::string_view authority,
                                        const api::NodeActionRequest& request,
                                        const store::Actor& actor);

/// Returns action `id` of `authority` as it is now. Throws Error(not_found) for no such action.
api::NodeActionStatus node_action(store::Store& store, std::string_view authority, std::int64_t id);

/// Creates a one-time enrollment token for `request` (names parsed as pki::parse_general_name, named
/// "names[I]" in errors) as `actor`; returns it with the token, which only this answer carries.
/// Throws as create_token.
api::TokenGrant grant_token(store::Store& store,
                            std::string_view authority,
                            const api::TokenRequest& request,
                            const store::Actor& actor);

}  // namespace certfleet::enrollment
