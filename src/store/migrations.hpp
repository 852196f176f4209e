#pragma once

#include <span>
#include <string_view>

namespace certfleet::store {

/// One step of the schema history, in both SQL dialects. Steps are applied in order, each in its own
/// transaction together with the new version number, so a store is always at exactly one version.
struct Migration {
    int version = 0;
    std::string_view sqlite;
    std::string_view postgres;
};

/// Returns every migration, oldest first. Never edit a published step: append a new one.
std::span<const Migration> migrations() noexcept;

}  // namespace certfleet::store
