#pragma once

#include "pki/openssl_handles.hpp"
#include "server/asio.hpp"
#include "server/request_context.hpp"
#include "server/tls_context.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace certfleet::server {

struct ServerCore;
struct Route;

/// What a worker needs after the connection moved on to waiting: the request and its context.
struct PendingRequest {
    HttpRequest request;
    RequestContext context;
};

/// One client connection: TLS handshake, then requests read, dispatched and answered one at a time
/// (keep-alive), each phase under its timeout.
///
/// Why TLS is driven here instead of through asio::ssl::stream: that stream allocates two 17 KB buffers
/// and a BIO pair with two more 17 KB buffers per connection, held for the connection's life, so an idle
/// agent's long-poll would cost about 70 KB. Here OpenSSL reads and writes the non-blocking socket itself
/// and Asio only says when the descriptor is ready; with SSL_MODE_RELEASE_BUFFERS an idle connection
/// keeps no record buffer, and the request buffer is released between requests.
/// All of a connection's handlers run on the server's single I/O thread; workers post back to it.
class Connection : public std::enable_shared_from_this<Connection> {
public:
    /// Takes over an accepted socket; `tls` stays alive as long as the connection.
    Connection(tcp::socket socket, std::shared_ptr<const TlsContext> tls, ServerCore& core);
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    Connection(Connection&&) = delete;
    Connection& operator=(Connection&&) = delete;
    ~Connection();

    /// Starts the handshake.
    void start();

private:
    using Step = void (Connection::*)();

    void handshake();
    void read_request();
    /// Parses what read_request() has read: true when the request was dispatched or refused.
    bool parse_buffered();
    void dispatch();
    /// Runs `route`'s handler on the worker pool and answers; with `may_hold`, a 204 from a long-poll
    /// route holds the request instead (hold()).
    void run_on_worker(const Route& route, const std::shared_ptr<PendingRequest>& pending, bool may_hold);
    void hold(const Route& route, const std::shared_ptr<PendingRequest>& pending, HttpResponse nothing);
    /// While a poll is held: closes at once when the client goes away (instead of at the wait's end).
    void watch_held();
    void respond(HttpResponse response);
    void write_response();
    void await(asio::socket_base::wait_type type, Step next);
    void arm_timer(std::chrono::milliseconds timeout, const char* phase);
    void disarm_timer();
    void close();
    /// After a refused request: sends the answer's end (close_notify, FIN) but reads and discards what the
    /// client is still sending, for a bounded time and size, before closing. Closing a socket with unread
    /// input sends a reset, which can destroy the answer before the client reads it.
    void linger();
    void drain();
    void refuse(http::status status, std::string_view error, std::string_view message);

    tcp::socket m_socket;
    std::shared_ptr<const TlsContext> m_tls;
    pki::SslPtr m_ssl;
    asio::steady_timer m_timer;
    ServerCore* m_core;
    std::string m_peer;
    std::optional<ClientCertificate> m_client;
    std::optional<http::request_parser<http::string_body>> m_parser;
    std::string m_in;   // bytes read and not yet parsed (released between requests)
    std::string m_out;  // the serialized response being written
    std::size_t m_written = 0;
    bool m_keep_alive = false;
    bool m_linger = false;      ///< the answer refused the request: linger() instead of close()
    std::size_t m_drained = 0;  ///< bytes discarded while lingering
    bool m_reading_started = false;
    bool m_closed = false;
    std::uint64_t m_timer_generation = 0;
    std::uint64_t m_held_poll = 0;  ///< the poll held in the registry now, 0 when none
    // The request in flight, for the log line and the metrics.
    std::string m_request_id;
    std::string m_route_label;
    std::string m_method;
    std::string m_path;
    std::chrono::steady_clock::time_point m_started;
};

}  // namespace certfleet::server
