#pragma once

#include "server/request_context.hpp"
#include "store/store.hpp"

#include <string>

namespace certfleet::server {

/// The routes of a node's agent (mTLS; the node is the commonName of the certificate it authenticates
/// with, issued by this authority).
struct NodeRoutes {
    store::Store* store = nullptr;
    std::string authority;

    /// POST /v1/checkin (api::Checkin): records what the node holds now. Answers 204.
    [[nodiscard]] HttpResponse checkin(const RequestContext& context, core::TimePoint now) const;
    /// GET /v1/actions?wait=SECONDS: delivers the node's queued actions (200, api::ActionList) and
    /// records the poll; with none, 204 No Content, which the connection holds up to the wait (Hold).
    [[nodiscard]] HttpResponse poll_actions(const RequestContext& context, core::TimePoint now) const;
    /// POST /v1/actions/ID (api::ActionResult): how the node's action ended. Answers 204; 404 for an
    /// action of another node.
    [[nodiscard]] HttpResponse finish_action(const RequestContext& context, core::TimePoint now) const;
};

/// Returns the node name of the authenticated caller. Throws Error(forbidden) if its certificate has no
/// commonName.
std::string node_name_of(const RequestContext& context);

}  // namespace certfleet::server
