#include "server/https_server.hpp"

#include "core/error.hpp"
#include "server/connection.hpp"

#include <spdlog/spdlog.h>

#include <csignal>

namespace certfleet::server {
namespace {

using core::Error;
using core::ErrorCode;

}  // namespace

HttpsServer::HttpsServer(HttpsServerOptions options,
                         const Router& router,
                         std::shared_ptr<const TlsContext> tls,
                         Authenticate authenticate,
                         ServerMetrics& metrics)
    : m_options(std::move(options)),
      m_acceptor(m_io),
      m_accept_retry(m_io),
      m_workers(m_options.limits.workers, m_options.limits.queue_limit),
      m_tls(std::move(tls)) {
    // Braces, not make_unique: clang 14 (the asan build) has no parenthesised aggregate initialisation,
    // and the atomic member makes ServerCore neither copyable nor movable.
    // NOLINTNEXTLINE(modernize-make-unique,cppcoreguidelines-owning-memory): braces, see above
    m_core.reset(new ServerCore{m_io, router, m_workers, metrics, m_options.limits, std::move(authenticate)});
    // OpenSSL writes to the socket with write(2): a peer that went away would raise SIGPIPE and end the
    // process. Ignored, the write fails with EPIPE and that connection alone is closed.
    static_cast<void>(std::signal(SIGPIPE, SIG_IGN));  // cannot fail for SIGPIPE
    ErrorCodeValue ec;
    const auto address = asio::ip::make_address(m_options.host, ec);
    if (ec) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("listen address \"{}\": not an IP address", m_options.host));
    }
    const tcp::endpoint endpoint(address, m_options.port);
    const std::string where = fmt::format("{}:{}", m_options.host, m_options.port);
    m_acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        m_acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
        m_acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        m_acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        throw Error(ErrorCode::unavailable, fmt::format("cannot listen on {}: {}", where, ec.message()));
    }
    m_port = m_acceptor.local_endpoint().port();
}

HttpsServer::~HttpsServer() = default;

void HttpsServer::run() {
    accept();
    m_io.run();
}

void HttpsServer::stop() {
    asio::post(m_io, [this] {
        ErrorCodeValue ec;
        m_acceptor.close(ec);
        m_io.stop();
    });
}

void HttpsServer::replace_tls(std::shared_ptr<const TlsContext> tls) {
    const std::lock_guard lock(m_tls_mutex);
    m_tls = std::move(tls);
}

void HttpsServer::accept() {  // NOLINT(misc-no-recursion): see server/asio.hpp
    m_acceptor.async_accept(m_io, [this](const ErrorCodeValue& ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !m_acceptor.is_open()) {
            return;
        }
        if (ec) {
            // Out of descriptors (EMFILE) and the like: wait a little instead of spinning on accept.
            spdlog::warn("accept failed: {}; retrying in 100 ms", ec.message());
            m_accept_retry.expires_after(std::chrono::milliseconds(100));
            m_accept_retry.async_wait([this](const ErrorCodeValue& wait_ec) {
                if (!wait_ec) {
                    accept();
                }
            });
            return;
        }
        if (m_core->open_connections.load() >= m_options.limits.max_connections) {
            ErrorCodeValue ignored;
            socket.close(ignored);  // over the limit: refuse at once rather than degrade everyone
        } else {
            std::shared_ptr<const TlsContext> tls;
            {
                const std::lock_guard lock(m_tls_mutex);
                tls = m_tls;
            }
            std::make_shared<Connection>(std::move(socket), std::move(tls), *m_core)->start();
        }
        accept();
    });
}

}  // namespace certfleet::server
