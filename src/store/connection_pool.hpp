#pragma once

#include "store/sql_connection.hpp"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace certfleet::store {

class ConnectionPool;

/// A connection borrowed from the pool, returned (or dropped if broken) when it goes out of scope.
class ConnectionLease {
public:
    ConnectionLease(ConnectionPool& pool, std::unique_ptr<SqlConnection> connection) noexcept
        : m_pool(&pool), m_connection(std::move(connection)) {}
    ConnectionLease(const ConnectionLease&) = delete;
    ConnectionLease& operator=(const ConnectionLease&) = delete;
    ConnectionLease(ConnectionLease&& other) noexcept = default;
    ConnectionLease& operator=(ConnectionLease&& other) noexcept = default;
    ~ConnectionLease();
    /// Returns the connection.
    SqlConnection& operator*() const noexcept { return *m_connection; }
    SqlConnection* operator->() const noexcept { return m_connection.get(); }

private:
    ConnectionPool* m_pool;
    std::unique_ptr<SqlConnection> m_connection;
};

/// At most `size` connections, opened on demand, reused while healthy. A caller waits while all are out
/// (SQLite has one: a single writer, and one ":memory:" database per connection).
class ConnectionPool {
public:
    using Connect = std::function<std::unique_ptr<SqlConnection>()>;
    ConnectionPool(Connect connect, std::size_t size) : m_connect(std::move(connect)), m_size(size) {}

    /// Returns a healthy connection. Throws Error(unavailable) if a new one cannot be opened.
    ConnectionLease lease();

private:
    friend class ConnectionLease;
    void give_back(std::unique_ptr<SqlConnection> connection) noexcept;

    Connect m_connect;
    std::size_t m_size;
    std::size_t m_open = 0;
    std::vector<std::unique_ptr<SqlConnection>> m_idle;
    std::mutex m_mutex;
    std::condition_variable m_returned;
};

}  // namespace certfleet::store
