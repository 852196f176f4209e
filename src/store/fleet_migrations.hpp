#pragma once

#include "store/migrations.hpp"

#include <span>

namespace certfleet::store {

/// The migrations of the fleet's tables (5 on: ACME, nodes and actions, enrollment tokens and requests,
/// admin certificates), oldest first; migrations() puts them after the CA's own (1-4).
std::span<const Migration> fleet_migrations() noexcept;

}  // namespace certfleet::store
