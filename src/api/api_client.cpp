#include "api/api_client.hpp"

#include "api/json_codec.hpp"
#include "api/protocol.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <array>
#include <curl/curl.h>
#include <mutex>

namespace certfleet::api {
namespace {

using core::Error;
using core::ErrorCode;

struct EasyDeleter {
    void operator()(CURL* curl) const noexcept { curl_easy_cleanup(curl); }
};
struct ListDeleter {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};
using EasyPtr = std::unique_ptr<CURL, EasyDeleter>;
using ListPtr = std::unique_ptr<curl_slist, ListDeleter>;

void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::size_t append_body(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.back() == '\r' || text.back() == '\n' || text.back() == ' ')) {
        text.remove_suffix(1);
    }
    while (!text.empty() && text.front() == ' ') {
        text.remove_prefix(1);
    }
    return text;
}

std::size_t read_header(char* data, std::size_t size, std::size_t count, void* user) {
    auto* reply = static_cast<HttpReply*>(user);
    const std::string_view line(data, size * count);
    const std::size_t colon = line.find(':');
    if (colon != std::string_view::npos) {
        std::string name(line.substr(0, colon));
        for (char& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        const std::string_view value = trimmed(line.substr(colon + 1));
        if (name == "x-request-id") {
            reply->request_id = value;
        } else if (name == "certfleet-version") {
            reply->server_version = value;
        }
    }
    return size * count;
}

ErrorCode code_for(std::string_view name, long status) {
    static constexpr std::array codes{ErrorCode::invalid_input,
                                      ErrorCode::not_found,
                                      ErrorCode::conflict,
                                      ErrorCode::unauthenticated,
                                      ErrorCode::forbidden,
                                      ErrorCode::unavailable,
                                      ErrorCode::internal};
    for (const ErrorCode code : codes) {
        if (core::to_string(code) == name) {
            return code;
        }
    }
    switch (status) {
        case 400:
        case 413:
            return ErrorCode::invalid_input;
        case 401:
            return ErrorCode::unauthenticated;
        case 403:
            return ErrorCode::forbidden;
        case 404:
            return ErrorCode::not_found;
        case 409:
            return ErrorCode::conflict;
        case 502:
        case 503:
        case 504:
            return ErrorCode::unavailable;
        default:
            return ErrorCode::internal;
    }
}

// libcurl's progress callback (about once a second while waiting): non-zero aborts the transfer.
int cancel_if_asked(void* cancel,
                    curl_off_t /*dltotal*/,
                    curl_off_t /*dlnow*/,
                    curl_off_t /*ultotal*/,
                    curl_off_t /*ulnow*/) {
    return static_cast<const std::atomic<bool>*>(cancel)->load() ? 1 : 0;
}

}  // namespace

struct ApiClient::Handle {
    EasyPtr easy;
};

ApiClient::ApiClient(ClientOptions options)
    : m_options(std::move(options)), m_handle(std::make_unique<Handle>()) {
    const std::string_view url = m_options.server_url;
    if (!url.starts_with("https://") && !url.starts_with("http://")) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("server URL \"{}\": expected https://HOST:PORT", m_options.server_url));
    }
    while (m_options.server_url.ends_with('/')) {
        m_options.server_url.pop_back();
    }
    init_curl_once();
    m_handle->easy.reset(curl_easy_init());
    if (!m_handle->easy) {
        throw Error(ErrorCode::internal, "libcurl: curl_easy_init failed");
    }
}

ApiClient::ApiClient(ApiClient&&) noexcept = default;
ApiClient& ApiClient::operator=(ApiClient&&) noexcept = default;
ApiClient::~ApiClient() = default;

HttpReply ApiClient::get(std::string_view path) {
    return post_json(path, std::string_view{nullptr, 0});
}

HttpReply ApiClient::post_json(std::string_view path, std::string_view body) {
    CURL* curl = m_handle->easy.get();
    curl_easy_reset(curl);  // keeps the connection cache, drops the previous call's options
    const std::string url = m_options.server_url + std::string(path);
    HttpReply reply;
    std::array<char, CURL_ERROR_SIZE> error{};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error.data());
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(m_options.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, append_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, read_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &reply);
    curl_easy_setopt(curl, CURLOPT_SSLVERSION, CURL_SSLVERSION_TLSv1_2);
    if (m_options.cancel != nullptr) {
        curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
        curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, cancel_if_asked);
        // Passed through libcurl untouched (as the strings above are): the callback reads it as const.
        curl_easy_setopt(curl, CURLOPT_XFERINFODATA, static_cast<const void*>(m_options.cancel));
    }
    if (!m_options.ca_file.empty()) {
        curl_easy_setopt(curl, CURLOPT_CAINFO, m_options.ca_file.c_str());
    }
    if (m_options.insecure_skip_verify) {
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (!m_options.client_cert_file.empty()) {
        curl_easy_setopt(curl, CURLOPT_SSLCERT, m_options.client_cert_file.c_str());
        curl_easy_setopt(curl, CURLOPT_SSLKEY, m_options.client_key_file.c_str());
    }
    ListPtr headers(
        curl_slist_append(nullptr, fmt::format("{}: {}", version_header, certfleet_version).c_str()));
    if (body.data() != nullptr) {
        headers.reset(curl_slist_append(headers.release(), "Content-Type: application/json"));
        curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
        curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    const CURLcode rc = curl_easy_perform(curl);
    if (rc != CURLE_OK) {
        throw Error(ErrorCode::unavailable,
                    fmt::format("{}: {}", url, error[0] != '\0' ? error.data() : curl_easy_strerror(rc)));
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    char* type = nullptr;
    if (curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr) {
        reply.content_type = type;
    }
    return reply;
}

CaBundle ApiClient::ca() {
    const HttpReply reply = get("/v1/ca");
    throw_for_reply(reply, "GET /v1/ca");
    return decode<CaBundle>(reply.body, "GET /v1/ca");
}

void throw_for_reply(const HttpReply& reply, std::string_view what) {
    if (reply.status >= 200 && reply.status < 300) {
        return;
    }
    std::string name;
    std::string message = fmt::format("HTTP {}", reply.status);
    try {
        const auto body = decode<ErrorBody>(reply.body, what);
        name = body.error;
        message = body.message;
    } catch (const Error&) {
        // not one of our error bodies (a proxy's page): the status says enough
    }
    const std::string id = reply.request_id.empty() ? "" : fmt::format(" (request {})", reply.request_id);
    throw Error(code_for(name, reply.status), fmt::format("{}: {}{}", what, message, id));
}

}  // namespace certfleet::api
