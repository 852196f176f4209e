#include "server/acme_order_handler.hpp"

#include "acme/base64url.hpp"
#include "acme/http01_validator.hpp"
#include "acme/identifiers.hpp"
#include "acme/order_state_machine.hpp"
#include "core/error.hpp"
#include "pki/openssl_handles.hpp"
#include "server/acme_resource_json.hpp"

#include <fmt/format.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

namespace certfleet::server {
namespace {

using acme::Problem;
using acme::ProblemType;

// RFC 8555 8.3: the token "MUST have at least 128 bits of entropy"; 256 bits here.
std::string new_token() {
    std::string random(32, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(random.data()), static_cast<int>(random.size())) != 1) {
        pki::throw_openssl_error(core::ErrorCode::internal, "acme challenge token: RAND_bytes failed");
    }
    return acme::base64url_encode(random);
}

Problem unknown(std::string_view what, std::string_view id) {
    return {.type = ProblemType::malformed, .detail = fmt::format("no {} {} at this server", what, id)};
}

Problem not_yours(std::string_view what, std::string_view id, std::int64_t account) {
    return {.type = ProblemType::unauthorized,
            .detail = fmt::format("{} {} belongs to another account than {}", what, id, account)};
}

std::optional<store::AcmeAuthorizationRecord> read_authorization(AcmeService& acme, std::int64_t id) {
    return acme.store().read([&](store::Transaction& tx) { return store::find_acme_authorization(tx, id); });
}

// Applies expiry (RFC 8555 7.1.6) to an authorization read from the store and stores a change.
store::AcmeAuthorizationRecord current_authorization(AcmeService& acme,
                                                     store::AcmeAuthorizationRecord authorization,
                                                     acme::AuthorizationEvent event) {
    const acme::AuthorizationStatus status = acme::parse_authorization_status(authorization.status);
    acme::AuthorizationFacts facts{.expires = authorization.expires, .now = acme.now()};
    for (const store::AcmeChallengeRecord& challenge : authorization.challenges) {
        facts.challenges.push_back(acme::parse_challenge_status(challenge.status));
    }
    const auto next = acme::next(status, event, facts);
    if (acme::problem_of(next) != nullptr || std::get<acme::AuthorizationStatus>(next) == status) {
        return authorization;
    }
    const std::string to(acme::to_string(std::get<acme::AuthorizationStatus>(next)));
    bool moved = false;
    acme.store().commit([&](store::Transaction& tx) {
        moved = store::set_acme_authorization_status(tx, authorization.id, authorization.status, to);
    });
    if (moved) {
        authorization.status = to;
        return authorization;
    }
    return read_authorization(acme, authorization.id).value_or(authorization);  // another request moved it
}

// Validates one http-01 challenge on a validation worker, then settles its authorization and order.
void run_validation(AcmeService& acme,
                    std::int64_t challenge_id,
                    std::int64_t authorization_id,
                    const std::string& identifier,
                    const std::string& token,
                    const std::string& key_authorization) {
    try {
        const std::optional<Problem> problem =
            acme::validate_http01(identifier, token, key_authorization, acme.config().http01);
        const std::string to = problem ? "invalid" : "valid";
        acme.store().commit([&](store::Transaction& tx) {
            store::set_acme_challenge_status(
                tx, challenge_id, "processing", to, acme.now(), problem ? problem->to_json().dump() : "");
        });
        spdlog::info("acme: http-01 for {} (challenge {}): {}{}",
                     identifier,
                     challenge_id,
                     to,
                     problem ? ": " + problem->detail : std::string());
        if (auto authorization = read_authorization(acme, authorization_id)) {
            const std::int64_t order_id = authorization->order_id;
            current_authorization(
                acme, *std::move(authorization), acme::AuthorizationEvent::challenge_changed);
            if (auto order = acme.store().read(
                    [&](store::Transaction& tx) { return store::find_acme_order(tx, order_id); })) {
                current_order(acme, *std::move(order));
            }
        }
    } catch (const std::exception& e) {
        spdlog::error("acme: http-01 validation of challenge {} failed: {}", challenge_id, e.what());
    }
}

}  // namespace

store::AcmeOrderRecord current_order(AcmeService& acme, store::AcmeOrderRecord order) {
    const acme::OrderStatus status = acme::parse_order_status(order.status);
    if (status != acme::OrderStatus::pending && status != acme::OrderStatus::ready) {
        return order;
    }
    acme::OrderFacts facts{.expires = order.expires, .now = acme.now()};
    for (const std::int64_t id : order.authorization_ids) {
        if (auto authorization = read_authorization(acme, id)) {
            facts.authorizations.push_back(acme::parse_authorization_status(
                current_authorization(acme, *std::move(authorization), acme::AuthorizationEvent::time_passed)
                    .status));
        }
    }
    const auto next = acme::next(status, acme::OrderEvent::authorizations_changed, facts);
    if (acme::problem_of(next) != nullptr || std::get<acme::OrderStatus>(next) == status) {
        return order;
    }
    const std::string to(acme::to_string(std::get<acme::OrderStatus>(next)));
    std::string error;
    if (to == "invalid") {
        error = Problem{.type = ProblemType::unauthorized,
                        .detail = "an authorization of the order is not valid, or the order expired"}
                    .to_json()
                    .dump();
    }
    bool moved = false;
    acme.store().commit([&](store::Transaction& tx) {
        moved = store::set_acme_order_status(tx, order.id, order.status, to, error);
    });
    if (moved) {
        order.status = to;
        order.error = error;
        return order;
    }
    const std::int64_t id = order.id;
    return acme.store()
        .read([&](store::Transaction& tx) { return store::find_acme_order(tx, id); })
        .value_or(std::move(order));
}

acme::Checked<store::AcmeOrderRecord> owned_order(AcmeService& acme,
                                                  const RequestContext& context,
                                                  const AcmeRequest& request) {
    const auto id = parse_acme_id(context.parameter);
    auto order =
        id ? acme.store().read([&](store::Transaction& tx) { return store::find_acme_order(tx, *id); })
           : std::nullopt;
    if (!order || order->authority != acme.ca().name()) {
        return unknown("order", context.parameter);
    }
    if (order->account_id != request.account->id) {
        return not_yours("order", context.parameter, request.account->id);
    }
    return current_order(acme, *std::move(order));
}

HttpResponse handle_acme_new_order(const RequestContext& context, AcmeService& acme) {
    auto checked = acme.authenticate(context, acme::KeyBinding::kid);
    if (const Problem* problem = acme::problem_of(checked)) {
        return problem_response(*problem);
    }
    const AcmeRequest& request = std::get<AcmeRequest>(checked);
    auto payload = request.message.payload_object();
    if (const Problem* problem = acme::problem_of(payload)) {
        return problem_response(*problem);
    }
    const nlohmann::json& body = std::get<nlohmann::json>(payload);
    auto names =
        acme::check_order_identifiers(body.value("identifiers", nlohmann::json()), acme.ca().policy());
    if (const Problem* problem = acme::problem_of(names)) {
        return problem_response(*problem);
    }
    const core::TimePoint now = acme.now();
    store::AcmeOrderRecord order{.account_id = request.account->id,
                                 .authority = acme.ca().name(),
                                 .identifiers = std::get<std::vector<std::string>>(std::move(names)),
                                 .expires = now + acme.config().order_lifetime,
                                 .created_at = now};
    std::vector<store::AcmeAuthorizationRecord> authorizations;
    for (const std::string& name : order.identifiers) {
        authorizations.push_back({.account_id = order.account_id,
                                  .identifier = name,
                                  .expires = now + acme.config().authorization_lifetime,
                                  .challenges = {{.token = new_token()}}});
    }
    // insert_acme_order assigns the ids, the order's authorization_ids included.
    acme.store().commit([&](store::Transaction& tx) { store::insert_acme_order(tx, order, authorizations); });
    HttpResponse response = acme_json_response(order_json(order, acme), http::status::created);
    response.set(http::field::location, acme.url(fmt::format("order/{}", order.id)));
    return response;
}

HttpResponse handle_acme_order(const RequestContext& context, AcmeService& acme) {
    auto checked = acme.authenticate(context, acme::KeyBinding::kid);
    if (const Problem* problem = acme::problem_of(checked)) {
        return problem_response(*problem);
    }
    auto order = owned_order(acme, context, std::get<AcmeRequest>(checked));
    if (const Problem* problem = acme::problem_of(order)) {
        return problem_response(*problem);
    }
    return acme_json_response(order_json(std::get<store::AcmeOrderRecord>(order), acme));
}

HttpResponse handle_acme_authorization(const RequestContext& context, AcmeService& acme) {
    auto checked = acme.authenticate(context, acme::KeyBinding::kid);
    if (const Problem* problem = acme::problem_of(checked)) {
        return problem_response(*problem);
    }
    const AcmeRequest& request = std::get<AcmeRequest>(checked);
    const auto id = parse_acme_id(context.parameter);
    auto authorization = id ? read_authorization(acme, *id) : std::nullopt;
    if (!authorization) {
        return problem_response(unknown("authorization", context.parameter));
    }
    if (authorization->account_id != request.account->id) {
        return problem_response(not_yours("authorization", context.parameter, request.account->id));
    }
    acme::AuthorizationEvent event = acme::AuthorizationEvent::time_passed;
    if (!request.message.post_as_get) {
        auto payload = request.message.payload_object();
        if (const Problem* problem = acme::problem_of(payload)) {
            return problem_response(*problem);
        }
        if (std::get<nlohmann::json>(payload).value("status", std::string()) != "deactivated") {
            return problem_response(
                {.type = ProblemType::malformed, .detail = "status: a client may only set \"deactivated\""});
        }
        event = acme::AuthorizationEvent::client_deactivated;
    }
    const store::AcmeAuthorizationRecord current =
        current_authorization(acme, *std::move(authorization), event);
    return acme_json_response(authorization_json(current, acme));
}

HttpResponse handle_acme_challenge(const RequestContext& context, AcmeService& acme) {
    auto checked = acme.authenticate(context, acme::KeyBinding::kid);
    if (const Problem* problem = acme::problem_of(checked)) {
        return problem_response(*problem);
    }
    const AcmeRequest& request = std::get<AcmeRequest>(checked);
    const auto id = parse_acme_id(context.parameter);
    auto challenge =
        id ? acme.store().read([&](store::Transaction& tx) { return store::find_acme_challenge(tx, *id); })
           : std::nullopt;
    auto authorization = challenge ? read_authorization(acme, challenge->authorization_id) : std::nullopt;
    if (!challenge || !authorization) {
        return problem_response(unknown("challenge", context.parameter));
    }
    if (authorization->account_id != request.account->id) {
        return problem_response(not_yours("challenge", context.parameter, request.account->id));
    }
    bool respond = false;
    if (!request.message.post_as_get) {
        const auto next = acme::next(acme::parse_challenge_status(challenge->status),
                                     acme::ChallengeEvent::client_responded);
        respond = acme::problem_of(next) == nullptr &&
                  std::get<acme::ChallengeStatus>(next) == acme::ChallengeStatus::processing &&
                  authorization->status == "pending";
    }
    bool claimed = false;
    if (respond) {
        // Compare-and-set: of two POSTs (or two replicas), one starts the validation.
        acme.store().commit([&](store::Transaction& tx) {
            claimed =
                store::set_acme_challenge_status(tx, challenge->id, "pending", "processing", acme.now());
        });
    }
    if (claimed) {
        challenge->status = "processing";
        const std::string key_authorization = acme::key_authorization(challenge->token, *request.key);
        const std::int64_t challenge_id = challenge->id;
        const std::int64_t authorization_id = authorization->id;
        const std::string identifier = authorization->identifier;
        const std::string token = challenge->token;
        const bool queued = acme.start_validation(
            [&acme, challenge_id, authorization_id, identifier, token, key_authorization] {
                run_validation(acme, challenge_id, authorization_id, identifier, token, key_authorization);
            });
        if (!queued) {
            acme.store().commit([&](store::Transaction& tx) {
                store::set_acme_challenge_status(tx, challenge_id, "processing", "pending", acme.now());
            });
            throw core::Error(core::ErrorCode::unavailable,
                              "the http-01 validation queue is full: retry later");
        }
    }
    HttpResponse response = acme_json_response(challenge_json(*challenge, acme));
    // RFC 8555 7.5.1: the challenge answer links to its authorization.
    response.insert(http::field::link,
                    fmt::format("<{}>;rel=\"up\"", acme.url(fmt::format("authz/{}", authorization->id))));
    return response;
}

}  // namespace certfleet::server
