#include "agent/tracking_state_machine.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <array>
#include <utility>

namespace certfleet::agent {
namespace {

using core::Error;
using core::ErrorCode;

using S = TrackingState;

constexpr std::array state_names{std::pair{S::needs_key, "needs_key"},
                                 std::pair{S::needs_csr, "needs_csr"},
                                 std::pair{S::submitting, "submitting"},
                                 std::pair{S::pending_at_ca, "pending_at_ca"},
                                 std::pair{S::needs_deploy, "needs_deploy"},
                                 std::pair{S::deploying, "deploying"},
                                 std::pair{S::verifying, "verifying"},
                                 std::pair{S::monitoring, "monitoring"},
                                 std::pair{S::rejected, "rejected"},
                                 std::pair{S::needs_operator, "needs_operator"},
                                 std::pair{S::adopted, "adopted"}};

[[noreturn]] void impossible(TrackingState state, TrackingEvent event) {
    throw Error(
        ErrorCode::internal,
        fmt::format(
            "tracked certificate: event {} cannot happen in state {}", to_string(event), to_string(state)));
}

}  // namespace

std::string_view to_string(TrackingState state) noexcept {
    for (const auto& [s, name] : state_names) {
        if (s == state) {
            return name;
        }
    }
    return "needs_key";
}

std::string_view to_string(TrackingEvent event) noexcept {
    switch (event) {
        case TrackingEvent::due:
            return "due";
        case TrackingEvent::key_generated:
            return "key_generated";
        case TrackingEvent::csr_created:
            return "csr_created";
        case TrackingEvent::pending:
            return "pending";
        case TrackingEvent::issued:
            return "issued";
        case TrackingEvent::refused:
            return "refused";
        case TrackingEvent::failed:
            return "failed";
        case TrackingEvent::deployment_started:
            return "deployment_started";
        case TrackingEvent::deployed:
            return "deployed";
        case TrackingEvent::verified:
            return "verified";
        case TrackingEvent::untrusted_server:
            return "untrusted_server";
        case TrackingEvent::operator_trusted:
            return "operator_trusted";
        case TrackingEvent::restarted:
            return "restarted";
        case TrackingEvent::adopted_by_operator:
            return "adopted_by_operator";
    }
    return "restarted";
}

TrackingState parse_tracking_state(std::string_view text, std::string_view field) {
    for (const auto& [state, name] : state_names) {
        if (text == name) {
            return state;
        }
    }
    throw Error(ErrorCode::invalid_input, fmt::format("{}: \"{}\" is not a tracking state", field, text));
}

bool is_stable(TrackingState state) noexcept {
    return state == S::needs_key || state == S::pending_at_ca || state == S::monitoring ||
           state == S::rejected || state == S::needs_operator || state == S::adopted;
}

TrackingState next(TrackingState state, TrackingEvent event) {
    switch (event) {
        case TrackingEvent::untrusted_server:
            // Whatever the pass was doing, a server this node does not trust stops it (seed 003).
            return S::needs_operator;
        case TrackingEvent::restarted:
            return is_stable(state) ? state : S::needs_key;
        case TrackingEvent::due:
            if (state == S::monitoring || state == S::adopted || state == S::rejected ||
                state == S::needs_key) {
                return S::needs_key;
            }
            break;
        case TrackingEvent::key_generated:
            if (state == S::needs_key) {
                return S::needs_csr;
            }
            break;
        case TrackingEvent::csr_created:
            if (state == S::needs_csr) {
                return S::submitting;
            }
            break;
        case TrackingEvent::pending:
            if (state == S::submitting || state == S::pending_at_ca) {
                return S::pending_at_ca;
            }
            break;
        case TrackingEvent::issued:
            if (state == S::submitting || state == S::pending_at_ca) {
                return S::needs_deploy;
            }
            break;
        case TrackingEvent::refused:
            if (state == S::submitting || state == S::pending_at_ca) {
                return S::rejected;
            }
            break;
        case TrackingEvent::failed:
            // The next pass starts over with a new key: neither the key nor an issued certificate is
            // kept between passes, and the deploy engine has restored the previous files.
            if (state == S::needs_key || state == S::needs_csr || state == S::submitting ||
                state == S::needs_deploy || state == S::deploying || state == S::verifying) {
                return S::needs_key;
            }
            if (state == S::pending_at_ca) {
                return S::pending_at_ca;  // unreachable while waiting: keep waiting
            }
            break;
        case TrackingEvent::deployment_started:
            if (state == S::needs_deploy) {
                return S::deploying;
            }
            break;
        case TrackingEvent::deployed:
            if (state == S::deploying) {
                return S::verifying;
            }
            break;
        case TrackingEvent::verified:
            if (state == S::verifying) {
                return S::monitoring;
            }
            break;
        case TrackingEvent::adopted_by_operator:
            // The operator's package replaces whatever the node was doing or waiting for.
            if (is_stable(state)) {
                return S::adopted;
            }
            break;
        case TrackingEvent::operator_trusted:
            if (state == S::needs_operator) {
                return S::needs_key;
            }
            break;
    }
    impossible(state, event);
}

}  // namespace certfleet::agent
