#pragma once

#include "server/asio.hpp"
#include "server/metrics.hpp"
#include "server/poll_registry.hpp"
#include "server/request_context.hpp"
#include "server/router.hpp"
#include "server/server_limits.hpp"
#include "server/worker_pool.hpp"

#include <atomic>
#include <functional>

namespace certfleet::server {

/// Checks a presented client certificate for the request at hand: throws Error(unauthenticated)
/// naming the reason (expired, revoked, unknown serial) or Error(unavailable) when the store cannot say.
using Authenticate = std::function<void(const ClientCertificate&)>;

/// What every connection of one server shares. Owned by HttpsServer; connections hold a reference.
struct ServerCore {
    asio::io_context& io;
    const Router& router;
    WorkerPool& workers;
    ServerMetrics& metrics;
    const ServerLimits& limits;
    Authenticate authenticate;
    std::atomic<std::size_t> open_connections{0};
    PollRegistry polls;  ///< long-polls held now (I/O thread only)
};

}  // namespace certfleet::server
