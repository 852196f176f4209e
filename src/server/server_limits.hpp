#pragma once

#include "api/protocol.hpp"

#include <chrono>
#include <cstddef>
#include <thread>

namespace certfleet::server {

/// What one client may cost the server; the defaults suit a CA serving a few thousand nodes.
struct ServerLimits {
    std::size_t max_body_bytes = std::size_t{1024} * 1024;  ///< larger bodies get 413 (a CSR is a few KB)
    std::size_t max_header_bytes = std::size_t{16} * 1024;  ///< larger headers get 431
    std::chrono::milliseconds handshake_timeout{10'000};
    std::chrono::milliseconds read_timeout{10'000};   ///< a whole request, from its first byte
    std::chrono::milliseconds write_timeout{10'000};  ///< a whole response
    std::chrono::milliseconds idle_timeout{60'000};   ///< a kept-alive connection between requests
    std::size_t max_connections = 20'000;             ///< beyond it new connections are closed at once
    /// Threads for CSR checks, signing and store commits. A worker mostly waits for the durable commit
    /// (an fsync: milliseconds), and the units of work waiting at once share one commit, so more workers
    /// than cores is what lets a commit carry several issuances (bench/RESULTS.md, "serve: HTTP issuance").
    std::size_t workers = std::max(8U, 4 * std::thread::hardware_concurrency());
    std::size_t queue_limit = 256;  ///< requests waiting for a worker beyond it get 503 + Retry-After
    api::Version min_agent_version{0, 1, 0};
};

}  // namespace certfleet::server
