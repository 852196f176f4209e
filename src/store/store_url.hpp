#pragma once

#include "store/store.hpp"

#include <memory>
#include <string>

namespace certfleet::store {

/// Opens an SQLite store at `path` (":memory:" for a private in-memory one). Used by open_store.
std::unique_ptr<Store> open_sqlite_store(const std::string& path);
/// Opens a PostgreSQL store with a libpq connection URI. Used by open_store.
std::unique_ptr<Store> open_postgres_store(const std::string& uri);

}  // namespace certfleet::store
