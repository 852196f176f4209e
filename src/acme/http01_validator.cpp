#include "acme/http01_validator.hpp"

#include "core/error.hpp"
#include "pki/subject_alt_names.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <cctype>
#include <curl/curl.h>
#include <memory>

namespace certfleet::acme {
namespace {

struct CurlDeleter {
    void operator()(CURL* c) const noexcept { curl_easy_cleanup(c); }
};
struct CurlListDeleter {
    void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using CurlListPtr = std::unique_ptr<curl_slist, CurlListDeleter>;

struct Body {
    std::string data;
    std::size_t limit = 0;
    bool too_large = false;
};

// No exception may cross into libcurl: the callback only appends or refuses.
std::size_t write_body(char* data, std::size_t size, std::size_t count, void* user) noexcept {
    auto* body = static_cast<Body*>(user);
    const std::size_t n = size * count;
    if (body->data.size() + n > body->limit) {
        body->too_large = true;
        return 0;  // CURLE_WRITE_ERROR ends the transfer
    }
    body->data.append(data, n);
    return n;
}

bool is_ip_literal(const std::string& text) {
    std::array<unsigned char, sizeof(in6_addr)> buffer{};
    return inet_pton(AF_INET, text.c_str(), buffer.data()) == 1 ||
           inet_pton(AF_INET6, text.c_str(), buffer.data()) == 1;
}

std::optional<std::string> override_for(std::string_view host, const Http01Options& options) {
    if (const auto exact = options.resolve.find(std::string(host)); exact != options.resolve.end()) {
        return exact->second;
    }
    for (const auto& [pattern, address] : options.resolve) {
        if (pattern.starts_with("*.") && host.size() > pattern.size() - 1 &&
            host.ends_with(std::string_view(pattern).substr(1))) {
            return address;
        }
    }
    return std::nullopt;
}

Problem connection(std::string detail) {
    return {.type = ProblemType::connection, .detail = std::move(detail)};
}

// Returns the lower-case host and the port of an absolute http(s) URL (as libcurl reports a redirect
// target), or nullopt for anything else, user information included.
std::optional<std::pair<std::string, std::string>> host_of(const std::string& url) {
    std::string_view rest = url;
    std::string port;
    if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
        port = "80";
    } else if (rest.starts_with("https://")) {
        rest.remove_prefix(8);
        port = "443";
    } else {
        return std::nullopt;
    }
    const std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
    if (authority.empty() || authority.find('@') != std::string_view::npos) {
        return std::nullopt;
    }
    std::string_view host = authority;
    const std::size_t bracket = authority.rfind(']');
    const std::size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
        host = authority.substr(0, colon);
        port = std::string(authority.substr(colon + 1));
    }
    std::string lowered(host);
    std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](unsigned char c) {
        return static_cast<char>(std::tolower(c));
    });
    return std::pair{lowered, port};
}

// Sets `url` to the Location of a redirect (HTTP `status`) on `curl`, or returns why it is not followed:
// none given, another host, or more than options.max_redirects hops.
std::optional<Problem> follow_redirect(CURL* curl,
                                       const std::string& host,
                                       long status,
                                       int hop,
                                       const Http01Options& options,
                                       std::string& url) {
    char* location = nullptr;
    curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
    if (location == nullptr) {
        return connection(fmt::format("http-01: {}: redirect ({}) without a Location", host, status));
    }
    const std::string next(location);
    const auto next_parts = host_of(next);
    if (!next_parts || next_parts->first != host) {
        return connection(fmt::format("http-01: {}: redirect to another host refused", host));
    }
    if (hop + 1 > options.max_redirects) {
        return connection(fmt::format("http-01: {}: more than {} redirects", host, options.max_redirects));
    }
    url = next;
    return std::nullopt;
}

std::string_view without_trailing_whitespace(std::string_view text) {
    while (!text.empty() &&
           (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' || text.back() == '\n')) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace

std::map<std::string, std::string> parse_resolve_overrides(const std::map<std::string, std::string>& entries,
                                                           std::string_view field) {
    for (const auto& [pattern, address] : entries) {
        const std::string_view name = std::string_view(pattern).substr(pattern.starts_with("*.") ? 2 : 0);
        try {
            static_cast<void>(pki::parse_general_name("DNS:" + std::string(name), field));
        } catch (const core::Error&) {
            throw core::Error(
                core::ErrorCode::invalid_input,
                fmt::format(R"({}: "{}" is not a host name or "*." and a domain)", field, pattern));
        }
        if (!is_ip_literal(address)) {
            throw core::Error(
                core::ErrorCode::invalid_input,
                fmt::format(R"({}: "{}" for "{}" is not an IP address)", field, address, pattern));
        }
    }
    return entries;
}

std::optional<Problem> validate_http01(std::string_view identifier,
                                       std::string_view token,
                                       std::string_view key_authorization,
                                       const Http01Options& options) {
    const std::string host(identifier);
    std::string url = fmt::format("http://{}:{}/.well-known/acme-challenge/{}", host, options.port, token);
    const std::optional<std::string> address = override_for(host, options);
    const auto started = std::chrono::steady_clock::now();
    for (int hop = 0;; ++hop) {
        const CurlPtr curl(curl_easy_init());
        if (!curl) {
            throw core::Error(core::ErrorCode::internal, "http-01: curl_easy_init failed");
        }
        Body body{.limit = options.max_body_bytes};
        const auto parts = host_of(url);
        if (!parts) {
            return connection(fmt::format("http-01: {}: redirect to an invalid URL", host));
        }
        CurlListPtr resolve;
        if (address) {
            // CURLOPT_RESOLVE pins host:port to the address; the Host header and URL keep the identifier.
            const std::string entry = fmt::format("{}:{}:{}", parts->first, parts->second, *address);
            resolve.reset(curl_slist_append(nullptr, entry.c_str()));
        }
        const auto spent =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
        const long remaining =
            static_cast<long>(std::chrono::milliseconds(options.timeout).count() - spent.count());
        if (remaining <= 0) {
            return connection(
                fmt::format("http-01: {}: timed out after {} s", host, options.timeout.count()));
        }
        curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
        curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
        curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
        curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, remaining);
        curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl.get(), CURLOPT_NOPROXY, "*");  // validation reaches the node itself
        curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "certfleet-acme-http01");
        curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &write_body);
        curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
        if (resolve) {
            curl_easy_setopt(curl.get(), CURLOPT_RESOLVE, resolve.get());
        }
        const CURLcode rc = curl_easy_perform(curl.get());
        if (body.too_large) {
            return Problem{
                .type = ProblemType::incorrect_response,
                .detail = fmt::format(
                    "http-01: {}: the response is larger than {} bytes", host, options.max_body_bytes)};
        }
        if (rc != CURLE_OK) {
            return connection(fmt::format("http-01: {}: {}", host, curl_easy_strerror(rc)));
        }
        long status = 0;
        curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
        if (status >= 300 && status < 400) {
            if (std::optional<Problem> refused =
                    follow_redirect(curl.get(), host, status, hop, options, url)) {
                return refused;
            }
            continue;
        }
        if (status != 200) {
            return connection(fmt::format("http-01: {}: the challenge URL answered HTTP {}", host, status));
        }
        // RFC 8555 8.3: "The server SHOULD ignore whitespace characters at the end of the body."
        const std::string_view text = without_trailing_whitespace(body.data);
        if (text != key_authorization) {
            return Problem{
                .type = ProblemType::incorrect_response,
                .detail = fmt::format(
                    "http-01: {}: the {}-byte response is not the key authorization", host, text.size())};
        }
        return std::nullopt;
    }
}

}  // namespace certfleet::acme
