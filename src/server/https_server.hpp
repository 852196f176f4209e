#pragma once

#include "server/asio.hpp"
#include "server/metrics.hpp"
#include "server/router.hpp"
#include "server/server_core.hpp"
#include "server/server_limits.hpp"
#include "server/tls_context.hpp"
#include "server/worker_pool.hpp"

#include <memory>
#include <mutex>
#include <string>

namespace certfleet::server {

/// Where to listen and what each client may cost.
struct HttpsServerOptions {
    std::string host = "127.0.0.1";
    unsigned short port = 8443;  ///< 0 picks a free port (tests)
    ServerLimits limits;
};

/// The HTTPS listener: one I/O thread runs every connection (event-driven, so an idle long-poll costs
/// memory, not a thread); handlers that touch the store or sign run on the bounded worker pool.
class HttpsServer {
public:
    /// Binds the listening socket. Throws Error(unavailable) naming the address if it cannot.
    HttpsServer(HttpsServerOptions options,
                const Router& router,
                std::shared_ptr<const TlsContext> tls,
                Authenticate authenticate,
                ServerMetrics& metrics);
    HttpsServer(const HttpsServer&) = delete;
    HttpsServer& operator=(const HttpsServer&) = delete;
    HttpsServer(HttpsServer&&) = delete;
    HttpsServer& operator=(HttpsServer&&) = delete;
    ~HttpsServer();

    /// Returns the bound port (the chosen one when options.port was 0).
    [[nodiscard]] unsigned short port() const noexcept { return m_port; }
    /// Accepts and serves on the calling thread until stop().
    void run();
    /// Stops accepting and ends run(); safe from any thread and from signal handlers' posted work.
    void stop();
    /// Serves new connections with `tls` (a renewed server certificate); open ones keep theirs.
    void replace_tls(std::shared_ptr<const TlsContext> tls);
    /// Returns the event loop, for the server's own timers (certificate renewal, CRL refresh).
    [[nodiscard]] asio::io_context& io() noexcept { return m_io; }
    /// Returns the number of open client connections.
    [[nodiscard]] std::size_t open_connections() const noexcept { return m_core->open_connections.load(); }
    /// Returns the long-polls held now; use it on the I/O thread only (post to io()).
    [[nodiscard]] PollRegistry& polls() noexcept { return m_core->polls; }
    /// Runs `task` on the worker pool; returns false when its queue is full.
    [[nodiscard]] bool submit(std::function<void()> task) { return m_workers.try_submit(std::move(task)); }

private:
    void accept();

    // Declaration order is destruction order reversed: the workers finish (posting to the loop) before
    // the loop goes, and the loop's pending handlers (connections) go before the core they point to.
    HttpsServerOptions m_options;
    std::unique_ptr<ServerCore> m_core;
    asio::io_context m_io{1};
    tcp::acceptor m_acceptor;
    asio::steady_timer m_accept_retry;
    unsigned short m_port = 0;
    WorkerPool m_workers;
    mutable std::mutex m_tls_mutex;
    std::shared_ptr<const TlsContext> m_tls;
};

}  // namespace certfleet::server
