#pragma once
// A one-thread HTTP/1.1 server on 127.0.0.1 and a free port, for http-01 tests: it answers each request
// with what `respond` returns for the request line, and records the requests it saw. A response of
// "hang" holds the connection open without answering until the server stops.

#include <arpa/inet.h>
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace certfleet::acme::testing {

class LoopbackHttpServer {
public:
    using Responder = std::function<std::string(const std::string& request)>;

    explicit LoopbackHttpServer(Responder respond) : m_respond(std::move(respond)) {
        m_listener = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        socklen_t size = sizeof(address);
        if (::bind(m_listener, reinterpret_cast<sockaddr*>(&address), size) != 0 ||
            ::listen(m_listener, 16) != 0 ||
            ::getsockname(m_listener, reinterpret_cast<sockaddr*>(&address), &size) != 0) {
            throw std::runtime_error("loopback server: cannot listen on 127.0.0.1");
        }
        m_port = ntohs(address.sin_port);
        m_thread = std::thread([this] { serve(); });
    }
    LoopbackHttpServer(const LoopbackHttpServer&) = delete;
    LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;
    ~LoopbackHttpServer() {
        {
            const std::scoped_lock lock(m_mutex);
            m_stopping = true;
        }
        m_stopped.notify_all();
        ::shutdown(m_listener, SHUT_RDWR);
        m_thread.join();
        ::close(m_listener);
    }

    [[nodiscard]] int port() const noexcept { return m_port; }
    /// Returns the raw requests seen so far (request line and headers).
    std::vector<std::string> requests() {
        const std::scoped_lock lock(m_mutex);
        return m_requests;
    }

private:
    void serve() {
        for (;;) {
            const int client = ::accept(m_listener, nullptr, nullptr);
            if (client < 0) {
                return;  // shut down
            }
            std::string request;
            char buffer[4096];
            while (request.find("\r\n\r\n") == std::string::npos) {
                const ssize_t n = ::recv(client, buffer, sizeof(buffer), 0);
                if (n <= 0) {
                    break;
                }
                request.append(buffer, static_cast<std::size_t>(n));
            }
            {
                const std::scoped_lock lock(m_mutex);
                m_requests.push_back(request);
            }
            const std::string response = m_respond(request);
            if (response == "hang") {
                std::unique_lock lock(m_mutex);
                m_stopped.wait(lock, [this] { return m_stopping; });
            } else {
                std::size_t sent = 0;
                while (sent < response.size()) {
                    const ssize_t n =
                        ::send(client, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
                    if (n <= 0) {
                        break;
                    }
                    sent += static_cast<std::size_t>(n);
                }
            }
            ::close(client);
        }
    }

    Responder m_respond;
    int m_listener = -1;
    int m_port = 0;
    std::thread m_thread;
    std::mutex m_mutex;
    std::condition_variable m_stopped;
    bool m_stopping = false;
    std::vector<std::string> m_requests;
};

/// Returns an HTTP/1.1 response with `status`, `body` and extra header lines.
inline std::string http_response(int status, const std::string& body, const std::string& headers = "") {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\nConnection: close\r\n" + headers + "\r\n" + body;
}

}  // namespace certfleet::acme::testing
