#include "enrollment/node_presence.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <charconv>

namespace certfleet::enrollment {

using core::Error;
using core::ErrorCode;

std::chrono::seconds action_wait(std::optional<std::string_view> asked, std::string_view field) {
    if (!asked || asked->empty()) {
        return std::chrono::seconds{0};
    }
    long long value = 0;
    const auto [end, ec] = std::from_chars(asked->data(), asked->data() + asked->size(), value);
    if (ec != std::errc() || end != asked->data() + asked->size() || value < 0) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: \"{}\" is not a number of seconds", field, *asked));
    }
    return std::min(std::chrono::seconds{value}, max_action_wait);
}

bool is_connected(const std::optional<core::TimePoint>& last_poll_at, core::TimePoint now) {
    return last_poll_at.has_value() && now - *last_poll_at <= 2 * max_action_wait;
}

std::string_view to_string(ActionKind kind) {
    switch (kind) {
        case ActionKind::renew:
            return "renew";
        case ActionKind::report:
            return "report";
        case ActionKind::operation:
            return "operation";
    }
    return "report";
}

ActionKind parse_action_kind(std::string_view text, std::string_view field) {
    if (text == "renew") {
        return ActionKind::renew;
    }
    if (text == "report") {
        return ActionKind::report;
    }
    if (text == "operation") {
        return ActionKind::operation;
    }
    throw Error(ErrorCode::invalid_input,
                fmt::format("{}: unknown action \"{}\" (renew, report, operation)", field, text));
}

}  // namespace certfleet::enrollment
