#pragma once

#include "core/clock.hpp"

#include <chrono>
#include <optional>
#include <string_view>

namespace certfleet::enrollment {

/// The longest a GET /v1/actions is held before it answers "nothing" (the agent polls again at once).
inline constexpr std::chrono::seconds max_action_wait{60};

/// Returns the wait to hold a poll for: `asked` seconds (from ?wait=), at least 0 and at most
/// max_action_wait. Throws Error(invalid_input) naming `field` for text that is not a number.
std::chrono::seconds action_wait(std::optional<std::string_view> asked, std::string_view field);

/// Whether a node counts as connected at `now`: it polled for actions within two wait periods (a node
/// holding a poll re-polls at most max_action_wait later). A node that never polled is not connected.
bool is_connected(const std::optional<core::TimePoint>& last_poll_at, core::TimePoint now);

/// The actions an operator may ask of a node: a closed list. The server never sends a command; a
/// node runs only what its own configuration defines: `operation` carries the name of one of the
/// node's own operations (agent.yaml `operations`), never a command line.
enum class ActionKind { renew, report, operation };

/// Returns "renew", "report" or "operation".
std::string_view to_string(ActionKind kind);
/// Parses "renew", "report" or "operation". Throws Error(invalid_input) naming `field` and the known
/// kinds.
ActionKind parse_action_kind(std::string_view text, std::string_view field);

}  // namespace certfleet::enrollment
