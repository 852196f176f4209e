#include "api/admin_client.hpp"

#include "api/json_codec.hpp"

#include <fmt/format.h>

namespace certfleet::api {
namespace {

template <typename T>
T answer(const HttpReply& reply, std::string_view what) {
    throw_for_reply(reply, what);
    return decode<T>(reply.body, fmt::format("{} answer", what));
}

}  // namespace

AdminClient::AdminClient(ClientOptions options) : m_client(std::move(options)) {}

RequestList AdminClient::list_requests(bool all) {
    const std::string path = all ? "/v1/admin/requests?all=true" : "/v1/admin/requests";
    return answer<RequestList>(m_client.get(path), "GET /v1/admin/requests");
}

RequestList AdminClient::approve_requests(const RequestDecision& decision) {
    return answer<RequestList>(m_client.post_json("/v1/admin/requests/approve", encode(decision)),
                               "POST /v1/admin/requests/approve");
}

RequestSummary AdminClient::deny_request(const RequestDecision& decision) {
    return answer<RequestSummary>(m_client.post_json("/v1/admin/requests/deny", encode(decision)),
                                  "POST /v1/admin/requests/deny");
}

NodeList AdminClient::list_nodes() {
    return answer<NodeList>(m_client.get("/v1/admin/nodes"), "GET /v1/admin/nodes");
}

NodeActionStatus AdminClient::queue_node_action(const NodeActionRequest& request) {
    return answer<NodeActionStatus>(m_client.post_json("/v1/admin/node-actions", encode(request)),
                                    "POST /v1/admin/node-actions");
}

NodeActionStatus AdminClient::node_action(std::int64_t id) {
    return answer<NodeActionStatus>(m_client.get(fmt::format("/v1/admin/node-actions/{}", id)),
                                    "GET /v1/admin/node-actions");
}

TokenGrant AdminClient::create_token(const TokenRequest& request) {
    return answer<TokenGrant>(m_client.post_json("/v1/admin/tokens", encode(request)),
                              "POST /v1/admin/tokens");
}

}  // namespace certfleet::api
