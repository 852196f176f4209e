#pragma once
// The one place server/ includes Boost.Asio and Boost.Beast (Debian's Boost 1.74, header-only).
//
// Traps of 1.74 with g++ 12 and C++20, kept here so no other file meets them:
// - <boost/asio.hpp> uses std::exchange without including <utility> ("'exchange' is not a member of
//   'std'"): <utility> comes first.
// - as_tuple, deferred, cancellation slots and channels do not exist yet. A held long-poll is woken by
//   cancelling its steady_timer (the waiter sees operation_aborted and answers), not by a channel.
// - Only the HTTP message types and the incremental parser of Beast are used: TLS is driven directly
//   on the socket's descriptor (server/connection.cpp says why: asio::ssl::stream costs 68 KB per
//   connection in buffers that an idle long-poll never uses).
//
// NOLINT policy for the async loops: a connection's handlers re-arm themselves (read -> dispatch ->
// write -> read), which clang-tidy's misc-no-recursion reports as recursion although each step returns
// to the event loop before the next runs. Those functions carry `// NOLINT(misc-no-recursion)` on their
// definition line with this header as the reason; no other check is silenced for them.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <string_view>
#include <utility>  // before Asio: see above

namespace certfleet::server {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;  // NOLINT(readability-identifier-naming): Asio's own spelling
using ErrorCodeValue = boost::system::error_code;

/// Beast 1.74 takes and returns boost::string_view, which does not convert to or from std::string_view.
inline boost::beast::string_view to_beast(std::string_view text) noexcept {
    return {text.data(), text.size()};
}
/// Returns `text` as a std::string_view (same bytes, no copy).
inline std::string_view to_std(boost::beast::string_view text) noexcept {
    return {text.data(), text.size()};
}

/// The request and response of every route: bodies are small (size-limited) strings.
using HttpRequest = http::request<http::string_body>;
using HttpResponse = http::response<http::string_body>;

}  // namespace certfleet::server
