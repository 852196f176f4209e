#include "agent/tracking_state_machine.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
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

using E = TrackingEvent;

struct Transition {
    TrackingState from;
    TrackingEvent event;
    TrackingState to;
};

// Every transition of a pass (untrusted_server, restarted and adopted_by_operator apply to many states:
// next() decides them first).
constexpr std::array transitions{
    // A renewal or an enrollment, step by step; `due` starts one from a stable state.
    Transition{S::monitoring, E::due, S::needs_key},
    Transition{S::adopted, E::due, S::needs_key},
    Transition{S::rejected, E::due, S::needs_key},
    Transition{S::needs_key, E::due, S::needs_key},
    Transition{S::needs_key, E::key_generated, S::needs_csr},
    Transition{S::needs_csr, E::csr_created, S::submitting},
    Transition{S::submitting, E::issued, S::needs_deploy},
    Transition{S::needs_deploy, E::deployment_started, S::deploying},
    Transition{S::deploying, E::deployed, S::verifying},
    Transition{S::verifying, E::verified, S::monitoring},
    // A pending request: polled on every pass until issued or denied.
    Transition{S::submitting, E::pending, S::pending_at_ca},
    Transition{S::pending_at_ca, E::pending, S::pending_at_ca},
    Transition{S::pending_at_ca, E::issued, S::needs_deploy},
    Transition{S::pending_at_ca, E::refused, S::rejected},
    Transition{S::submitting, E::refused, S::rejected},
    // A failed attempt: the next pass starts over with a new key (neither the key nor an issued
    // certificate is kept between passes, and the deploy engine has restored the previous files);
    // a pending request keeps waiting (unreachable while waiting).
    Transition{S::needs_key, E::failed, S::needs_key},
    Transition{S::needs_csr, E::failed, S::needs_key},
    Transition{S::submitting, E::failed, S::needs_key},
    Transition{S::needs_deploy, E::failed, S::needs_key},
    Transition{S::deploying, E::failed, S::needs_key},
    Transition{S::verifying, E::failed, S::needs_key},
    Transition{S::pending_at_ca, E::failed, S::pending_at_ca},
    // `agent trust`: enroll again.
    Transition{S::needs_operator, E::operator_trusted, S::needs_key},
};

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
        case TrackingEvent::adopted_by_operator:
            // The operator's package replaces whatever the node was waiting for.
            if (is_stable(state)) {
                return S::adopted;
            }
            impossible(state, event);
        default:
            break;
    }
    const auto* found = std::find_if(transitions.begin(), transitions.end(), [&](const Transition& t) {
        return t.from == state && t.event == event;
    });
    if (found == transitions.end()) {
        impossible(state, event);
    }
    return found->to;
}

}  // namespace certfleet::agent
