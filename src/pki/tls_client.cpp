#include "pki/tls_client.hpp"

#include "core/error.hpp"
#include "core/file_descriptor.hpp"
#include "pki/openssl_handles.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <memory>
#include <netdb.h>
#include <optional>
#include <poll.h>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>

namespace certfleet::pki {
namespace {

using core::FileDescriptor;

using core::Error;
using core::ErrorCode;

struct AddrinfoDeleter {
    void operator()(addrinfo* p) const noexcept { ::freeaddrinfo(p); }
};

std::string format_address(const sockaddr* address, socklen_t length) {
    std::array<char, NI_MAXHOST> host{};
    std::array<char, NI_MAXSERV> port{};
    if (::getnameinfo(address,
                      length,
                      host.data(),
                      static_cast<socklen_t>(host.size()),
                      port.data(),
                      static_cast<socklen_t>(port.size()),
                      NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return "?";
    }
    return address->sa_family == AF_INET6 ? fmt::format("[{}]:{}", host.data(), port.data())
                                          : fmt::format("{}:{}", host.data(), port.data());
}

/// Connects without blocking longer than `timeout`; returns the socket or "" in `error`.
std::optional<FileDescriptor> connect_with_timeout(const addrinfo& ai,
                                                   std::chrono::milliseconds timeout,
                                                   std::string& error) {
    FileDescriptor socket(::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC, ai.ai_protocol));
    if (socket.get() < 0) {
        error = std::generic_category().message(errno);
        return std::nullopt;
    }
    const int flags = ::fcntl(socket.get(), F_GETFL, 0);
    ::fcntl(socket.get(), F_SETFL, flags | O_NONBLOCK);
    if (::connect(socket.get(), ai.ai_addr, ai.ai_addrlen) != 0) {
        if (errno != EINPROGRESS) {
            error = std::generic_category().message(errno);
            return std::nullopt;
        }
        pollfd pfd{.fd = socket.get(), .events = POLLOUT, .revents = 0};
        const int ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
        if (ready == 0) {
            error = fmt::format("connect timed out after {} ms", timeout.count());
            return std::nullopt;
        }
        int so_error = 0;
        socklen_t length = sizeof so_error;
        if (ready < 0 || ::getsockopt(socket.get(), SOL_SOCKET, SO_ERROR, &so_error, &length) != 0 ||
            so_error != 0) {
            error = std::generic_category().message(ready < 0 ? errno : so_error);
            return std::nullopt;
        }
    }
    ::fcntl(socket.get(), F_SETFL, flags);
    // From here on reads and writes block, each bounded by the timeout (STARTTLS and the handshake).
    timeval tv{.tv_sec = static_cast<time_t>(timeout.count() / 1000),
               .tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
    ::setsockopt(socket.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ::setsockopt(socket.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    return socket;
}

/// Connects to the first address of `endpoint` that answers.
FileDescriptor connect_endpoint(const Endpoint& endpoint,
                                std::string_view text,
                                std::chrono::milliseconds timeout,
                                std::string& address) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* raw = nullptr;
    const int rc = ::getaddrinfo(endpoint.host.c_str(), endpoint.port.c_str(), &hints, &raw);
    if (rc != 0) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: cannot resolve: {}", text, ::gai_strerror(rc)));
    }
    const std::unique_ptr<addrinfo, AddrinfoDeleter> addresses(raw);
    std::string last_error = "no address";
    for (const addrinfo* ai = addresses.get(); ai != nullptr; ai = ai->ai_next) {
        if (auto socket = connect_with_timeout(*ai, timeout, last_error)) {
            address = format_address(ai->ai_addr, ai->ai_addrlen);
            return std::move(*socket);
        }
        last_error = fmt::format("{}: {}", format_address(ai->ai_addr, ai->ai_addrlen), last_error);
    }
    throw Error(ErrorCode::unavailable, fmt::format("{}: cannot connect: {}", text, last_error));
}

}  // namespace

bool is_ip_address(const std::string& host) {
    std::array<unsigned char, sizeof(in6_addr)> buffer{};
    return ::inet_pton(AF_INET, host.c_str(), buffer.data()) == 1 ||
           ::inet_pton(AF_INET6, host.c_str(), buffer.data()) == 1;
}

Endpoint parse_endpoint(std::string_view text) {
    Endpoint out;
    std::string_view rest;
    if (text.starts_with('[')) {
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: expected [address]:port", text));
        }
        out.host = std::string(text.substr(1, close - 1));
        rest = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos || text.find(':') != colon) {
            throw Error(ErrorCode::invalid_input, fmt::format("{}: expected host:port", text));
        }
        out.host = std::string(text.substr(0, colon));
        rest = text.substr(colon + 1);
    }
    const bool numeric = !rest.empty() && rest.size() <= 5 &&
                         rest.find_first_not_of("0123456789") == std::string_view::npos &&
                         std::stoul(std::string(rest)) <= 65535;
    if (out.host.empty() || !numeric) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: expected host:port with a port 1-65535", text));
    }
    out.port = std::string(rest);
    return out;
}

ServedChain read_served_chain(std::string_view text, const TlsClientOptions& options) {
    const Endpoint endpoint = parse_endpoint(text);
    ServedChain served;
    const FileDescriptor socket = connect_endpoint(endpoint, text, options.timeout, served.address);
    if (options.before_handshake) {
        options.before_handshake(socket.get());
    }
    const SslCtxPtr context(SSL_CTX_new(TLS_client_method()));
    if (!context) {
        throw_openssl_error(ErrorCode::internal, "cannot create a TLS context");
    }
    // Weak servers must be seen too: allow every protocol and key size in the handshake; the verdict
    // on the chain is the caller's (pki::verify_chain).
    SSL_CTX_set_security_level(context.get(), 0);
    SSL_CTX_set_min_proto_version(context.get(), 0);
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr);
    const SslPtr ssl(SSL_new(context.get()));
    if (!ssl || SSL_set_fd(ssl.get(), socket.get()) != 1) {
        throw_openssl_error(ErrorCode::internal, "cannot create a TLS connection");
    }
    served.server_name = options.sni.empty() ? endpoint.host : options.sni;
    if (!is_ip_address(served.server_name)) {
        SSL_set_tlsext_host_name(ssl.get(), served.server_name.c_str());
    }
    if (SSL_connect(ssl.get()) != 1) {
        const std::string reason = drain_openssl_errors();
        throw Error(ErrorCode::unavailable,
                    fmt::format("{}: TLS handshake failed: {}",
                                text,
                                reason.empty() ? "connection closed or timed out" : reason));
    }
    served.protocol = SSL_get_version(ssl.get());
    served.cipher = SSL_get_cipher_name(ssl.get());
    if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get())) {  // borrowed; leaf first on a client
        for (int i = 0; i < sk_X509_num(chain); ++i) {
            X509* cert = sk_X509_value(chain, i);
            X509_up_ref(cert);
            served.chain.push_back(Certificate::from_x509(X509Ptr(cert)));
        }
    }
    SSL_shutdown(ssl.get());
    if (served.chain.empty()) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: served no certificate", text));
    }
    return served;
}

}  // namespace certfleet::pki
