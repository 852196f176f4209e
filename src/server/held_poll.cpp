// The long-poll side of a connection: a request whose route may hold (GET /v1/actions?wait=N) and whose
// handler found nothing waits here, woken by news for its key or by its timer, while the socket is
// watched so a client that goes away frees its poll at once.
#include "server/connection.hpp"
#include "server/request_admission.hpp"
#include "server/server_core.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <array>

namespace certfleet::server {

void Connection::hold(const Route& route,
                      const std::shared_ptr<PendingRequest>& pending,
                      HttpResponse nothing) {
    const std::chrono::seconds wait = route.hold->wait(pending->context);
    if (wait.count() <= 0 || m_closed) {
        respond(std::move(nothing));
        return;
    }
    // Woken (news for this key) or timed out, the handler runs once more and its answer is final.
    std::weak_ptr<Connection> weak = weak_from_this();
    const std::uint64_t generation = ++m_timer_generation;
    const std::uint64_t poll = m_core->polls.hold(route.hold->key(pending->context), [weak, pending, &route] {
        if (const auto self = weak.lock(); self && !self->m_closed) {
            self->m_held_poll = 0;
            self->disarm_timer();
            self->run_on_worker(route, pending, false);
        }
    });
    m_held_poll = poll;
    m_timer.expires_after(wait);
    m_timer.async_wait(
        [self = shared_from_this(), generation, poll, pending, &route](const ErrorCodeValue& ec) {
            if (ec || self->m_closed || generation != self->m_timer_generation) {
                return;
            }
            self->m_core->polls.release(poll);
            self->m_held_poll = 0;
            self->run_on_worker(route, pending, false);
        });
    watch_held();
}

// Nothing is read while a poll is held, so without this a client that went away (an agent restarted, a
// network blip) would keep its poll, descriptor and TLS state until the wait ends, and cost a handler run
// and a store commit then. Bytes of a next request (pipelined) are kept for after the answer, up to the
// header limit; a TLS record with no application data (WANT_READ) is consumed and the watch goes on.
void Connection::watch_held() {  // NOLINT(misc-no-recursion): see server/asio.hpp
    m_socket.async_wait(asio::socket_base::wait_read,
                        [self = shared_from_this(), poll = m_held_poll](const ErrorCodeValue& ec) {
                            if (self->m_closed || self->m_held_poll != poll) {
                                return;  // answered meanwhile: read_request() reads from here on
                            }
                            if (ec) {
                                self->close();
                                return;
                            }
                            std::array<char, 4096> chunk{};
                            std::size_t got = 0;
                            ERR_clear_error();
                            const int rc = SSL_read_ex(self->m_ssl.get(), chunk.data(), chunk.size(), &got);
                            if (rc == 1) {
                                self->m_in.append(chunk.data(), got);
                                if (self->m_in.size() <= self->m_core->limits.max_header_bytes) {
                                    self->watch_held();
                                }
                                return;
                            }
                            const int error = SSL_get_error(self->m_ssl.get(), rc);
                            if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) {
                                self->watch_held();
                                return;
                            }
                            ERR_clear_error();  // the client closed (EOF or close_notify), or a TLS error
                            spdlog::debug("peer={} closed while holding a poll", self->m_peer);
                            self->close();
                        });
}

}  // namespace certfleet::server
