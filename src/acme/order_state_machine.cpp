#include "acme/order_state_machine.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace certfleet::acme {
namespace {

constexpr std::array<std::string_view, 4> challenge_words{"pending", "processing", "valid", "invalid"};
constexpr std::array<std::string_view, 6> authorization_words{
    "pending", "valid", "invalid", "deactivated", "expired", "revoked"};
constexpr std::array<std::string_view, 5> order_words{"pending", "ready", "processing", "valid", "invalid"};

template <class Status, std::size_t N>
Status parse_word(const std::array<std::string_view, N>& words,
                  std::string_view text,
                  std::string_view what) {
    if (const auto found = std::find(words.begin(), words.end(), text); found != words.end()) {
        return static_cast<Status>(found - words.begin());
    }
    throw core::Error(core::ErrorCode::internal,
                      fmt::format("stored ACME {} status \"{}\" is unknown", what, text));
}

Problem malformed(std::string detail) {
    return {.type = ProblemType::malformed, .detail = std::move(detail)};
}

}  // namespace

std::string_view to_string(ChallengeStatus status) noexcept {
    return challenge_words.at(static_cast<std::size_t>(status));
}
std::string_view to_string(AuthorizationStatus status) noexcept {
    return authorization_words.at(static_cast<std::size_t>(status));
}
std::string_view to_string(OrderStatus status) noexcept {
    return order_words.at(static_cast<std::size_t>(status));
}
ChallengeStatus parse_challenge_status(std::string_view text) {
    return parse_word<ChallengeStatus>(challenge_words, text, "challenge");
}
AuthorizationStatus parse_authorization_status(std::string_view text) {
    return parse_word<AuthorizationStatus>(authorization_words, text, "authorization");
}
OrderStatus parse_order_status(std::string_view text) {
    return parse_word<OrderStatus>(order_words, text, "order");
}

Checked<ChallengeStatus> next(ChallengeStatus status, ChallengeEvent event) {
    switch (event) {
        case ChallengeEvent::client_responded:
            return status == ChallengeStatus::pending ? ChallengeStatus::processing : status;
        case ChallengeEvent::validation_succeeded:
        case ChallengeEvent::validation_failed:
            if (status != ChallengeStatus::processing) {
                return malformed(fmt::format("challenge is {}, not processing", to_string(status)));
            }
            return event == ChallengeEvent::validation_succeeded ? ChallengeStatus::valid
                                                                 : ChallengeStatus::invalid;
    }
    return status;
}

Checked<AuthorizationStatus> next(AuthorizationStatus status,
                                  AuthorizationEvent event,
                                  const AuthorizationFacts& facts) {
    const bool live = status == AuthorizationStatus::pending || status == AuthorizationStatus::valid;
    if (event == AuthorizationEvent::client_deactivated) {
        if (!live) {
            return malformed(fmt::format(
                "authorization is {}; only a pending or valid one can be deactivated", to_string(status)));
        }
        return AuthorizationStatus::deactivated;
    }
    // RFC 8555 7.1.6: "If the authorization is still pending ... it MAY expire"; a valid one expires too
    // ("valid" -> "expired" in the diagram).
    if (live && facts.now >= facts.expires) {
        return AuthorizationStatus::expired;
    }
    if (status != AuthorizationStatus::pending) {
        return status;
    }
    const auto has = [&](ChallengeStatus s) {
        return std::find(facts.challenges.begin(), facts.challenges.end(), s) != facts.challenges.end();
    };
    // "If one of the challenges listed in the authorization transitions to the "valid" state, then the
    // authorization also changes to the "valid" state. If the client attempts to fulfill a challenge and
    // fails, or if there is an error while the authorization is still pending, then the authorization
    // transitions to the "invalid" state."
    if (has(ChallengeStatus::valid)) {
        return AuthorizationStatus::valid;
    }
    if (has(ChallengeStatus::invalid)) {
        return AuthorizationStatus::invalid;
    }
    return status;
}

Checked<OrderStatus> next(OrderStatus status, OrderEvent event, const OrderFacts& facts) {
    switch (event) {
        case OrderEvent::authorizations_changed: {
            if (status != OrderStatus::pending && status != OrderStatus::ready) {
                return status;
            }
            // "The order also moves to the "invalid" state if it expires or one of its authorizations
            // enters a final state other than "valid" ("expired", "revoked", or "deactivated")."
            if (facts.now >= facts.expires) {
                return OrderStatus::invalid;
            }
            const bool all_valid =
                !facts.authorizations.empty() &&
                std::all_of(facts.authorizations.begin(),
                            facts.authorizations.end(),
                            [](AuthorizationStatus s) { return s == AuthorizationStatus::valid; });
            const bool any_failed = std::any_of(
                facts.authorizations.begin(), facts.authorizations.end(), [](AuthorizationStatus s) {
                    return s != AuthorizationStatus::valid && s != AuthorizationStatus::pending;
                });
            if (any_failed) {
                return OrderStatus::invalid;
            }
            return all_valid ? OrderStatus::ready : OrderStatus::pending;
        }
        case OrderEvent::finalize_requested: {
            // RFC 8555 7.4: "A request to finalize an order will result in error if the order is not in
            // the "ready" state. In such cases, the server MUST return a 403 (Forbidden) error with a
            // problem document of type "orderNotReady"."
            const Checked<OrderStatus> current = next(status, OrderEvent::authorizations_changed, facts);
            if (const Problem* p = problem_of(current)) {
                return *p;
            }
            const OrderStatus now_status = std::get<OrderStatus>(current);
            if (now_status != OrderStatus::ready) {
                return Problem{.type = ProblemType::order_not_ready,
                               .detail = fmt::format("order is {}, not ready", to_string(now_status))};
            }
            return OrderStatus::processing;
        }
        case OrderEvent::issuance_succeeded:
        case OrderEvent::issuance_failed:
            if (status != OrderStatus::processing) {
                return malformed(fmt::format("order is {}, not processing", to_string(status)));
            }
            return event == OrderEvent::issuance_succeeded ? OrderStatus::valid : OrderStatus::invalid;
    }
    return status;
}

}  // namespace certfleet::acme
