#pragma once

#include "server/asio.hpp"
#include "server/request_context.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::server {

/// Who may call a route. Whatever the route, a presented client certificate that is expired, revoked or
/// unknown to the store is refused with 401 (authenticate() in client_authentication.hpp).
enum class Access {
    anyone,              ///< no client certificate needed (health, CA bundle, CRL, metrics, enroll)
    client_certificate,  ///< a valid certificate issued by the CA (renew, check-in, actions)
};

/// Where a route's handler runs: cheap answers from memory on the I/O thread; anything that reads the
/// store, checks a CSR or signs on the bounded worker pool.
enum class Execution { io_thread, worker_pool };

/// Answers one request. Throws core::Error, which error_response() turns into the JSON error body.
using Handler = std::function<HttpResponse(const RequestContext&)>;

/// A long-poll: when the route's handler answers 204 No Content (nothing yet), the connection holds the
/// request, without a thread, until PollRegistry::wake(key) or `wait` has passed, then runs the handler
/// once more and sends what it answers.
struct Hold {
    std::function<std::chrono::seconds(const RequestContext&)> wait;
    std::function<std::string(const RequestContext&)> key;
};

/// One route: method and path pattern ("/v1/requests/{id}": one trailing parameter at most).
struct Route {
    http::verb method = http::verb::get;
    std::string pattern;
    Access access = Access::anyone;
    Execution execution = Execution::worker_pool;
    Handler handler;
    std::optional<Hold> hold;  ///< a long-poll route (worker_pool execution)
};

/// What find() found.
struct RouteMatch {
    const Route* route = nullptr;  ///< nullptr: no route (404) or another method (405)
    bool other_method = false;     ///< the path exists with another method
    std::string parameter;         ///< the {id} segment, when the pattern has one
};

/// The route table of the server.
class Router {
public:
    /// Adds `route`. Throws Error(internal) if the same method and pattern are already taken.
    void add(Route route);
    /// Returns the route for `method` and `path` (no query).
    [[nodiscard]] RouteMatch find(http::verb method, std::string_view path) const;

private:
    std::vector<Route> m_routes;
};

/// Returns a 200 response with a JSON body.
HttpResponse json_response(std::string body, http::status status = http::status::ok);
/// Returns a 200 response with `body` of `content_type`.
HttpResponse content_response(std::string body, std::string_view content_type);

}  // namespace certfleet::server
