#include "server/connection.hpp"

#include "api/protocol.hpp"
#include "core/error.hpp"
#include "server/error_response.hpp"
#include "server/request_admission.hpp"
#include "server/server_core.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <array>
#include <sstream>

namespace certfleet::server {
using core::Error;
using core::ErrorCode;

Connection::Connection(tcp::socket socket, std::shared_ptr<const TlsContext> tls, ServerCore& core)
    : m_socket(std::move(socket)),
      m_tls(std::move(tls)),
      m_ssl(SSL_new(m_tls->get())),
      m_timer(core.io),
      m_core(&core) {
    ++m_core->open_connections;
    ErrorCodeValue ec;
    const auto endpoint = m_socket.remote_endpoint(ec);
    m_peer = ec ? "unknown" : fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
}

Connection::~Connection() {
    --m_core->open_connections;
}

void Connection::start() {
    ErrorCodeValue ec;
    m_socket.non_blocking(true, ec);
    if (!m_ssl || ec || SSL_set_fd(m_ssl.get(), m_socket.native_handle()) != 1) {
        close();
        return;
    }
    SSL_set_accept_state(m_ssl.get());
    arm_timer(m_core->limits.handshake_timeout, "handshake");
    handshake();
}

void Connection::handshake() {  // NOLINT(misc-no-recursion): see server/asio.hpp
    ERR_clear_error();
    const int rc = SSL_do_handshake(m_ssl.get());
    if (rc == 1) {
        m_client = peer_certificate(m_ssl.get());
        m_reading_started = false;
        arm_timer(m_core->limits.idle_timeout, "idle");
        read_request();
        return;
    }
    switch (SSL_get_error(m_ssl.get(), rc)) {
        case SSL_ERROR_WANT_READ:
            await(asio::socket_base::wait_read, &Connection::handshake);
            return;
        case SSL_ERROR_WANT_WRITE:
            await(asio::socket_base::wait_write, &Connection::handshake);
            return;
        default:
            spdlog::debug(
                "peer={} TLS handshake failed: {}",
                m_peer,
                ERR_peek_last_error() != 0 ? ERR_reason_error_string(ERR_peek_last_error()) : "closed");
            ERR_clear_error();
            close();
    }
}

// Feeds the bytes read so far to the parser: true when the request was dispatched or refused, false when
// it needs more bytes.
bool Connection::parse_buffered() {  // NOLINT(misc-no-recursion): see server/asio.hpp
    const ServerLimits& limits = m_core->limits;
    while (!m_in.empty()) {
        ErrorCodeValue ec;
        const std::size_t used = m_parser->put(asio::buffer(m_in), ec);
        m_in.erase(0, used);
        if (ec == http::error::need_more) {
            return false;
        }
        if (ec == http::error::body_limit) {
            refuse(http::status::payload_too_large,
                   "payload_too_large",
                   fmt::format("request body larger than {} bytes", limits.max_body_bytes));
            return true;
        }
        if (ec == http::error::header_limit) {
            refuse(http::status::request_header_fields_too_large,
                   "header_too_large",
                   fmt::format("request header larger than {} bytes", limits.max_header_bytes));
            return true;
        }
        if (ec) {
            refuse(http::status::bad_request,
                   "invalid_input",
                   fmt::format("malformed HTTP request: {}", ec.message()));
            return true;
        }
        if (m_parser->is_done()) {
            dispatch();
            return true;
        }
        if (used == 0) {
            return false;
        }
    }
    return false;
}

void Connection::read_request() {  // NOLINT(misc-no-recursion): see server/asio.hpp
    const ServerLimits& limits = m_core->limits;
    if (!m_parser) {
        m_parser.emplace();
        m_parser->eager(true);
        m_parser->header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
        m_parser->body_limit(limits.max_body_bytes);
    }
    std::array<char, std::size_t{16} * 1024> chunk{};
    for (;;) {
        if (parse_buffered()) {
            return;
        }
        std::size_t got = 0;
        ERR_clear_error();
        const int rc = SSL_read_ex(m_ssl.get(), chunk.data(), chunk.size(), &got);
        if (rc == 1) {
            if (!m_reading_started) {  // the first byte of a request: its whole-request deadline starts
                m_reading_started = true;
                arm_timer(limits.read_timeout, "read");
            }
            m_in.append(chunk.data(), got);
            continue;
        }
        switch (SSL_get_error(m_ssl.get(), rc)) {
            case SSL_ERROR_WANT_READ:
                if (m_in.empty()) {
                    std::string().swap(m_in);  // an idle connection keeps no buffer
                }
                await(asio::socket_base::wait_read, &Connection::read_request);
                return;
            case SSL_ERROR_WANT_WRITE:
                await(asio::socket_base::wait_write, &Connection::read_request);
                return;
            default:  // closed by the peer, or a TLS error
                ERR_clear_error();
                close();
                return;
        }
    }
}

void Connection::dispatch() {
    disarm_timer();
    m_started = std::chrono::steady_clock::now();
    auto pending = std::make_shared<PendingRequest>();
    pending->request = m_parser->release();
    m_parser.reset();
    const HttpRequest& request = pending->request;
    m_keep_alive = request.keep_alive();
    m_request_id = request_id_for(request);
    m_method = std::string(to_std(request.method_string()));
    const std::string_view target = to_std(request.target());
    const std::size_t question = target.find('?');
    m_path = std::string(target.substr(0, question));
    RequestContext& context = pending->context;
    context.request = &pending->request;
    context.path = m_path;
    context.query = question == std::string_view::npos ? "" : std::string(target.substr(question + 1));
    context.request_id = m_request_id;
    context.peer = m_peer;
    context.caller.certificate = m_client;

    const RouteMatch match = m_core->router.find(request.method(), m_path);
    m_route_label = match.route != nullptr ? match.route->pattern : "unmatched";
    if (match.route == nullptr) {
        if (match.other_method) {
            respond(error_response(http::status::method_not_allowed,
                                   "method_not_allowed",
                                   fmt::format("{} does not take {}", m_path, m_method),
                                   m_request_id));
        } else {
            respond(error_response(ErrorCode::not_found, fmt::format("no route {}", m_path), m_request_id));
        }
        return;
    }
    context.parameter = match.parameter;
    try {
        check_client_version(request, m_core->limits.min_agent_version);
        if (match.route->access == Access::client_certificate && !m_client) {
            throw Error(ErrorCode::unauthenticated,
                        fmt::format("{} needs a client certificate issued by this CA", match.route->pattern));
        }
    } catch (const Error& e) {
        respond(error_response(e.code(), e.what(), m_request_id));
        return;
    }
    const Route& route = *match.route;
    if (route.execution == Execution::io_thread && !m_client) {
        respond(run_handler(route, context, *m_core));
        return;
    }
    run_on_worker(route, pending, true);
}

void Connection::run_on_worker(const Route& route,
                               const std::shared_ptr<PendingRequest>& pending,
                               bool may_hold) {
    auto self = shared_from_this();
    const bool queued = m_core->workers.try_submit([self, pending, &route, may_hold] {
        HttpResponse response = run_handler(route, pending->context, *self->m_core);
        asio::post(self->m_core->io,
                   [self, pending, &route, may_hold, response = std::move(response)]() mutable {
                       if (may_hold && route.hold && response.result() == http::status::no_content) {
                           self->hold(route, pending, std::move(response));
                       } else {
                           self->respond(std::move(response));
                       }
                   });
    });
    if (!queued) {
        respond(error_response(ErrorCode::unavailable, "the server is busy: retry later", m_request_id));
    }
}

void Connection::respond(HttpResponse response) {
    if (m_closed) {
        return;
    }
    const unsigned status = response.result_int();
    response.set(to_beast(api::version_header), to_beast(api::certfleet_version));
    response.set(to_beast(api::min_agent_version_header), api::to_string(m_core->limits.min_agent_version));
    response.set(to_beast(api::request_id_header), m_request_id);
    response.keep_alive(m_keep_alive);
    std::ostringstream out;
    out << response;
    m_out = out.str();
    m_written = 0;
    const auto elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_started);
    m_core->metrics.count_request(m_route_label, m_method, status);
    spdlog::info("request_id={} peer={} method={} path={} route={} status={} bytes={} ms={:.2f}{}",
                 m_request_id,
                 m_peer,
                 m_method,
                 m_path,
                 m_route_label,
                 status,
                 response.body().size(),
                 elapsed.count(),
                 m_client ? fmt::format(" client_serial={}", m_client->serial_hex) : std::string());
    arm_timer(m_core->limits.write_timeout, "write");
    write_response();
}

void Connection::write_response() {  // NOLINT(misc-no-recursion): see server/asio.hpp
    while (m_written < m_out.size()) {
        std::size_t sent = 0;
        ERR_clear_error();
        const int rc = SSL_write_ex(m_ssl.get(), m_out.data() + m_written, m_out.size() - m_written, &sent);
        if (rc == 1) {
            m_written += sent;
            continue;
        }
        switch (SSL_get_error(m_ssl.get(), rc)) {
            case SSL_ERROR_WANT_WRITE:
                await(asio::socket_base::wait_write, &Connection::write_response);
                return;
            case SSL_ERROR_WANT_READ:
                await(asio::socket_base::wait_read, &Connection::write_response);
                return;
            default:
                ERR_clear_error();
                close();
                return;
        }
    }
    std::string().swap(m_out);
    if (!m_keep_alive) {
        if (m_linger) {
            linger();
        } else {
            close();
        }
        return;
    }
    m_reading_started = !m_in.empty();
    arm_timer(m_reading_started ? m_core->limits.read_timeout : m_core->limits.idle_timeout, "idle");
    read_request();
}

void Connection::refuse(http::status status, std::string_view error, std::string_view message) {
    // After a malformed or oversized request the rest of the stream cannot be trusted: answer, close.
    disarm_timer();
    m_parser.reset();
    m_in.clear();
    m_keep_alive = false;
    m_linger = true;
    m_started = std::chrono::steady_clock::now();
    m_request_id = new_request_id();
    m_route_label = "unmatched";
    m_method = "-";
    m_path = "-";
    respond(error_response(status, error, message, m_request_id));
}

void Connection::await(asio::socket_base::wait_type type, Step next) {
    m_socket.async_wait(type, [self = shared_from_this(), next](const ErrorCodeValue& ec) {
        if (self->m_closed) {
            return;
        }
        if (ec) {
            self->close();
            return;
        }
        ((*self).*next)();
    });
}

void Connection::arm_timer(std::chrono::milliseconds timeout, const char* phase) {
    const std::uint64_t generation = ++m_timer_generation;
    m_timer.expires_after(timeout);
    m_timer.async_wait([self = shared_from_this(), generation, phase](const ErrorCodeValue& ec) {
        if (ec || self->m_closed || generation != self->m_timer_generation) {
            return;
        }
        spdlog::debug("peer={} closed: {} timeout", self->m_peer, phase);
        self->close();
    });
}

void Connection::disarm_timer() {
    ++m_timer_generation;
    m_timer.cancel();
}

void Connection::linger() {
    if (m_ssl && SSL_is_init_finished(m_ssl.get()) == 1) {
        ERR_clear_error();
        SSL_shutdown(m_ssl.get());  // close_notify after the answer
        ERR_clear_error();
    }
    ErrorCodeValue ec;
    m_socket.shutdown(tcp::socket::shutdown_send, ec);
    arm_timer(std::chrono::milliseconds{2000}, "linger");
    drain();
}

void Connection::drain() {  // NOLINT(misc-no-recursion): see server/asio.hpp
    // Bounded (and by the 2 s linger timer): a client that keeps sending after the answer is cut off.
    const std::size_t limit =
        std::max<std::size_t>(4 * m_core->limits.max_body_bytes, std::size_t{8} * 1024 * 1024);
    std::array<char, std::size_t{16} * 1024> discard{};
    for (;;) {
        ErrorCodeValue ec;
        const std::size_t got = m_socket.read_some(asio::buffer(discard), ec);
        if (ec == asio::error::would_block || ec == asio::error::try_again) {
            await(asio::socket_base::wait_read, &Connection::drain);
            return;
        }
        m_drained += got;
        if (ec || m_drained > limit) {  // the client closed (the usual end), or sent too much
            close();
            return;
        }
    }
}

void Connection::close() {
    if (m_closed) {
        return;
    }
    m_closed = true;
    m_timer.cancel();
    if (m_held_poll != 0) {
        m_core->polls.release(m_held_poll);
        m_held_poll = 0;
    }
    if (m_ssl && SSL_is_init_finished(m_ssl.get()) == 1) {
        ERR_clear_error();
        SSL_shutdown(m_ssl.get());  // one close_notify attempt; a non-blocking socket never waits here
        ERR_clear_error();
    }
    ErrorCodeValue ec;
    m_socket.shutdown(tcp::socket::shutdown_both, ec);
    m_socket.close(ec);
}

}  // namespace certfleet::server
