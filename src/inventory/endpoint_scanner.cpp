#include "inventory/endpoint_scanner.hpp"

#include "pki/chain_verifier.hpp"
#include "pki/openssl_handles.hpp"

#include <fmt/format.h>

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace certfleet::inventory {
namespace {

using core::Error;
using core::ErrorCode;

/// An open socket, closed when it goes away.
class SocketDescriptor {
public:
    explicit SocketDescriptor(int fd) : m_fd(fd) {}
    SocketDescriptor(const SocketDescriptor&) = delete;
    SocketDescriptor& operator=(const SocketDescriptor&) = delete;
    SocketDescriptor(SocketDescriptor&& other) noexcept : m_fd(other.m_fd) { other.m_fd = -1; }
    SocketDescriptor& operator=(SocketDescriptor&&) = delete;
    ~SocketDescriptor() {
        if (m_fd >= 0) {
            ::close(m_fd);
        }
    }
    [[nodiscard]] int get() const noexcept { return m_fd; }

private:
    int m_fd;
};

struct AddrinfoDeleter {
    void operator()(addrinfo* p) const noexcept { ::freeaddrinfo(p); }
};

bool is_ip_address(const std::string& host) {
    unsigned char buffer[sizeof(in6_addr)];
    return ::inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
           ::inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

std::string format_address(const sockaddr* address, socklen_t length) {
    char host[NI_MAXHOST];
    char port[NI_MAXSERV];
    if (::getnameinfo(
            address, length, host, sizeof host, port, sizeof port, NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
        return "?";
    }
    return address->sa_family == AF_INET6 ? fmt::format("[{}]:{}", host, port)
                                          : fmt::format("{}:{}", host, port);
}

/// Connects without blocking longer than `timeout`; returns the socket or "" in `error`.
std::optional<SocketDescriptor> connect_with_timeout(const addrinfo& ai,
                                                     std::chrono::milliseconds timeout,
                                                     std::string& error) {
    SocketDescriptor socket(::socket(ai.ai_family, ai.ai_socktype | SOCK_CLOEXEC, ai.ai_protocol));
    if (socket.get() < 0) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    const int flags = ::fcntl(socket.get(), F_GETFL, 0);
    ::fcntl(socket.get(), F_SETFL, flags | O_NONBLOCK);
    if (::connect(socket.get(), ai.ai_addr, ai.ai_addrlen) != 0) {
        if (errno != EINPROGRESS) {
            error = std::strerror(errno);
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
            error = std::strerror(ready < 0 ? errno : so_error);
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
SocketDescriptor connect_endpoint(const Endpoint& endpoint,
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

bool is_name_finding(const pki::Finding& finding) {
    return finding.code == pki::FindingCode::host_mismatch || finding.code == pki::FindingCode::ip_mismatch;
}

std::string name_of(const pki::Certificate& certificate) {
    const std::string cn = certificate.subject_common_name();
    return cn.empty() ? certificate.subject() : "CN=" + cn;
}

/// RFC 5246 7.4.2: "The sender's certificate MUST come first in the list. Each following certificate
/// MUST directly certify the one preceding it." OpenSSL rebuilds the path whatever the order, so a chain
/// served out of order verifies here while stricter clients (Java, older TLS 1.2 stacks) fail: flag each
/// certificate whose issuer is served, but not right after it.
std::vector<pki::Finding> order_findings(const std::vector<pki::Certificate>& chain) {
    std::vector<pki::Finding> findings;
    for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
        if (chain[i].is_issued_by(chain[i + 1])) {
            continue;
        }
        for (std::size_t j = 0; j < chain.size(); ++j) {
            if (j != i && j != i + 1 && chain[i].is_issued_by(chain[j])) {
                findings.push_back(
                    {pki::FindingCode::chain_out_of_order,
                     i,
                     fmt::format(
                         "cert {} ({}): served before {}, which did not issue it; its issuer is served "
                         "as cert {} ({}): each certificate must be followed by its issuer",
                         i,
                         name_of(chain[i]),
                         name_of(chain[i + 1]),
                         j,
                         name_of(chain[j]))});
                break;
            }
        }
    }
    return findings;
}

/// Verifies `chain` (leaf first, as served) for a TLS server named `report.checked_host` at `options.at`
/// with pki::verify_chain; the findings and the verdict go into `report`.
void verify_served_chain(const std::vector<pki::Certificate>& chain,
                         const EndpointProbeOptions& options,
                         EndpointReport& report) {
    std::optional<pki::TrustStore> system;
    if (options.trust == nullptr) {
        system = pki::TrustStore::system_default();
    }
    const pki::TrustStore& trust = options.trust != nullptr ? *options.trust : *system;
    std::vector<pki::Certificate> untrusted;
    for (std::size_t i = 1; i < chain.size(); ++i) {
        untrusted.push_back(chain[i].clone());
    }
    const bool ip = is_ip_address(report.checked_host);
    const pki::ChainVerdict verdict = pki::verify_chain(chain.front(),
                                                        untrusted,
                                                        trust,
                                                        {.at = options.at,
                                                         .host = ip ? std::string{} : report.checked_host,
                                                         .ip = ip ? report.checked_host : std::string{},
                                                         .purpose = pki::Purpose::server});
    report.findings = verdict.findings;
    report.verified = true;
    report.host_matches = chain.front().matches_host(report.checked_host);
    for (const pki::Finding& finding : report.findings) {
        if (is_name_finding(finding)) {
            report.host_matches = false;
        } else if (report.verified) {
            report.verified = false;
            report.verify_error = finding.message;
        }
    }
    for (pki::Finding& finding : order_findings(chain)) {
        report.findings.push_back(std::move(finding));
    }
}

}  // namespace

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

EndpointReport probe_endpoint(std::string_view text, const EndpointProbeOptions& options) {
    const Endpoint endpoint = parse_endpoint(text);
    EndpointReport report;
    report.endpoint = std::string(text);
    const SocketDescriptor socket = connect_endpoint(endpoint, text, options.timeout, report.address);
    negotiate_starttls(socket.get(), options.starttls, text);

    const pki::SslCtxPtr context(SSL_CTX_new(TLS_client_method()));
    if (!context) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot create a TLS context");
    }
    // An inventory must see weak servers too: allow every protocol and key size in the handshake;
    // the verdict on the chain is the separate pki::verify_chain below.
    SSL_CTX_set_security_level(context.get(), 0);
    SSL_CTX_set_min_proto_version(context.get(), 0);
    SSL_CTX_set_verify(context.get(), SSL_VERIFY_NONE, nullptr);
    const pki::SslPtr ssl(SSL_new(context.get()));
    if (!ssl || SSL_set_fd(ssl.get(), socket.get()) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "cannot create a TLS connection");
    }
    report.checked_host = options.sni.empty() ? endpoint.host : options.sni;
    if (!is_ip_address(report.checked_host)) {
        SSL_set_tlsext_host_name(ssl.get(), report.checked_host.c_str());
    }
    if (SSL_connect(ssl.get()) != 1) {
        const std::string reason = pki::drain_openssl_errors();
        throw Error(ErrorCode::unavailable,
                    fmt::format("{}: TLS handshake failed: {}",
                                text,
                                reason.empty() ? "connection closed or timed out" : reason));
    }
    report.protocol = SSL_get_version(ssl.get());
    report.cipher = SSL_get_cipher_name(ssl.get());

    std::vector<pki::Certificate> chain;
    if (STACK_OF(X509)* served = SSL_get_peer_cert_chain(ssl.get())) {  // borrowed; leaf first on a client
        for (int i = 0; i < sk_X509_num(served); ++i) {
            X509* cert = sk_X509_value(served, i);
            X509_up_ref(cert);
            chain.push_back(pki::Certificate::from_x509(pki::X509Ptr(cert)));
        }
    }
    SSL_shutdown(ssl.get());
    if (chain.empty()) {
        throw Error(ErrorCode::unavailable, fmt::format("{}: served no certificate", text));
    }
    for (std::size_t i = 0; i < chain.size(); ++i) {
        report.chain.push_back(make_record(
            chain[i], report.endpoint, fmt::format("certificate {} of {}", i + 1, chain.size()), "tls"));
    }
    verify_served_chain(chain, options, report);
    return report;
}

}  // namespace certfleet::inventory
