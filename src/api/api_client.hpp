#pragma once

#include "api/messages.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace certfleet::api {

/// Where the server is and how to trust it and authenticate to it.
struct ClientOptions {
    std::string server_url;  ///< "https://ca.example.com:8443"
    std::string ca_file;  ///< PEM trust anchors for the server; "" uses the system store (or $CURL_CA_BUNDLE)
    std::string client_cert_file;  ///< mTLS certificate (with its chain), "" for none
    std::string client_key_file;   ///< its key (0600)
    std::chrono::seconds timeout{30};
    bool insecure_skip_verify = false;  ///< only to fetch /v1/ca before pinning its root by fingerprint
    /// When set, a call in progress (a held long-poll) ends within about a second of it becoming true,
    /// with Error(unavailable): the agent daemon's SIGTERM.
    const std::atomic<bool>* cancel = nullptr;
};

/// One HTTP answer.
struct HttpReply {
    long status = 0;
    std::string body;
    std::string content_type;
    std::string request_id;
    std::string server_version;
};

/// A client of the /v1 API over libcurl (proxies from $https_proxy, connection reuse across calls).
/// Not safe to share between threads; make one per thread.
class ApiClient {
public:
    /// Prepares a client. Throws Error(invalid_input) for a URL that is not http(s)://.
    explicit ApiClient(ClientOptions options);
    ApiClient(const ApiClient&) = delete;
    ApiClient& operator=(const ApiClient&) = delete;
    ApiClient(ApiClient&& other) noexcept;
    ApiClient& operator=(ApiClient&& other) noexcept;
    ~ApiClient();

    /// Sends GET `path`; returns the reply whatever its status.
    /// Throws Error(unavailable) naming the server when it cannot be reached or the TLS handshake fails.
    HttpReply get(std::string_view path);
    /// Sends POST `path` with a JSON body; as get().
    HttpReply post_json(std::string_view path, std::string_view body);

    /// Returns GET /v1/ca. Throws the server's error (api::throw_for_reply) on a non-2xx answer.
    CaBundle ca();

private:
    struct Handle;
    ClientOptions m_options;
    std::unique_ptr<Handle> m_handle;
};

/// Throws core::Error with the code and message of an error reply (its JSON body when there is one,
/// else the HTTP status) when `reply` is not 2xx; returns otherwise.
void throw_for_reply(const HttpReply& reply, std::string_view what);

}  // namespace certfleet::api
