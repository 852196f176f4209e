#include "server/acme_account_handler.hpp"

#include "acme/external_account_binding.hpp"
#include "core/error.hpp"
#include "server/acme_resource_json.hpp"

#include <fmt/format.h>

namespace certfleet::server {
namespace {

using acme::Problem;
using acme::ProblemType;

// RFC 8555 7.3: "contact (optional, array of string)"; certfleet accepts mailto: URLs only (7.3: "the
// server MUST support the mailto scheme" and may refuse others with unsupportedContact; invalidContact
// says what is wrong).
std::optional<Problem> read_contact(const nlohmann::json& payload, std::vector<std::string>& contact) {
    const auto field = payload.find("contact");
    if (field == payload.end()) {
        return std::nullopt;
    }
    if (!field->is_array()) {
        return Problem{.type = ProblemType::malformed,
                       .detail = "contact: expected an array of mailto: URLs"};
    }
    std::vector<std::string> out;
    for (const nlohmann::json& item : *field) {
        if (!item.is_string() || !item.get<std::string>().starts_with("mailto:") ||
            item.get<std::string>().size() == 7 || item.get<std::string>().find(',') != std::string::npos) {
            return Problem{
                .type = ProblemType::invalid_contact,
                .detail = fmt::format("contact: {} is not a mailto: URL with one address", item.dump())};
        }
        out.push_back(item.get<std::string>());
    }
    contact = std::move(out);
    return std::nullopt;
}

// RFC 8555 7.3.4: verifies the payload's "externalAccountBinding" and records its kid and JWS in `account`;
// without one, refuses with externalAccountRequired when the configuration requires a binding.
std::optional<Problem> read_external_account_binding(const nlohmann::json& payload,
                                                     const AcmeRequest& request,
                                                     const AcmeService& acme,
                                                     store::AcmeAccountRecord& account) {
    const auto field = payload.find("externalAccountBinding");
    if (field == payload.end() || field->is_null()) {
        if (acme.config().external_account_required) {
            return Problem{.type = ProblemType::external_account_required,
                           .detail =
                               "externalAccountBinding: this server requires one in newAccount (the "
                               "kid and HMAC key its operator gave you; RFC 8555 7.3.4)"};
        }
        return std::nullopt;
    }
    auto verified = acme::verify_external_account_binding(
        *field, {.url = request.message.url, .account_key = *request.key, .keys = acme.eab_keys()});
    if (const Problem* problem = acme::problem_of(verified)) {
        return *problem;
    }
    account.eab_kid = std::get<acme::VerifiedBinding>(verified).kid;
    account.external_account_binding = field->dump();
    return std::nullopt;
}

// One kid binds one account (as step-ca): a second newAccount with a bound kid is refused.
Problem kid_already_bound(const store::AcmeAccountRecord& holder) {
    return {.type = ProblemType::unauthorized,
            .detail = fmt::format("externalAccountBinding: \"kid\" {} is already bound to account {}",
                                  nlohmann::json(holder.eab_kid).dump(),
                                  holder.id)};
}

HttpResponse account_response(const store::AcmeAccountRecord& account,
                              const AcmeService& acme,
                              http::status status) {
    HttpResponse response = acme_json_response(account_json(account, acme), status);
    response.set(http::field::location, acme.url(fmt::format("acct/{}", account.id)));
    return response;
}

// The account a kid request names must be the one in the URL (RFC 8555 7.3.2).
std::optional<Problem> check_same_account(const RequestContext& context, const AcmeRequest& request) {
    if (parse_acme_id(context.parameter) != request.account->id) {
        return Problem{.type = ProblemType::unauthorized,
                       .detail = fmt::format(
                           "account {} may not act on account {}", request.account->id, context.parameter)};
    }
    return std::nullopt;
}

}  // namespace

HttpResponse handle_acme_directory(const RequestContext& /*context*/, AcmeService& acme) {
    return acme_json_response(
        {{"newNonce", acme.url("new-nonce")},
         {"newAccount", acme.url("new-account")},
         {"newOrder", acme.url("new-order")},
         {"revokeCert", acme.url("revoke-cert")},
         {"keyChange", acme.url("key-change")},
         {"meta", {{"externalAccountRequired", acme.config().external_account_required}}}});
}

HttpResponse handle_acme_new_nonce(const RequestContext& context, AcmeService& /*acme*/) {
    // RFC 8555 7.2: HEAD answers 200, GET 204; both with Cache-Control: no-store (finish adds it).
    HttpResponse response{
        context.request->method() == http::verb::head ? http::status::ok : http::status::no_content, 11};
    response.prepare_payload();
    return response;
}

HttpResponse handle_acme_new_account(const RequestContext& context, AcmeService& acme) {
    auto checked = acme.authenticate(context, acme::KeyBinding::jwk);
    if (const Problem* problem = acme::problem_of(checked)) {
        return problem_response(*problem);
    }
    const AcmeRequest& request = std::get<AcmeRequest>(checked);
    auto payload = request.message.payload_object();
    if (const Problem* problem = acme::problem_of(payload)) {
        return problem_response(*problem);
    }
    const nlohmann::json& body = std::get<nlohmann::json>(payload);
    const acme::AccountKey& key = *request.key;
    const auto find_existing = [&] {
        return acme.store().read([&](store::Transaction& tx) {
            return store::find_acme_account_by_thumbprint(tx, acme.ca().name(), key.thumbprint());
        });
    };
    if (const auto existing = find_existing()) {
        if (existing->status != "valid") {
            return problem_response(
                {.type = ProblemType::unauthorized,
                 .detail = fmt::format("account {} is {}", existing->id, existing->status)});
        }
        return account_response(*existing, acme, http::status::ok);
    }
    if (body.value("onlyReturnExisting", false)) {
        return problem_response({.type = ProblemType::account_does_not_exist,
                                 .detail = "onlyReturnExisting: no account has this key"});
    }
    store::AcmeAccountRecord account{.authority = acme.ca().name(),
                                     .thumbprint = key.thumbprint(),
                                     .jwk = key.canonical_jwk(),
                                     .created_at = acme.now()};
    if (auto problem = read_contact(body, account.contact)) {
        return problem_response(*problem);
    }
    if (auto problem = read_external_account_binding(body, request, acme, account)) {
        return problem_response(*problem);
    }
    const auto find_kid_holder = [&](store::Transaction& tx) {
        return account.eab_kid.empty()
                   ? std::nullopt
                   : store::find_acme_account_by_eab_kid(tx, acme.ca().name(), account.eab_kid);
    };
    std::optional<store::AcmeAccountRecord> holder;
    try {
        acme.store().commit([&](store::Transaction& tx) {
            holder = find_kid_holder(tx);
            if (!holder) {
                store::insert_acme_account(tx, account);
            }
        });
    } catch (const core::Error& e) {
        if (e.code() != core::ErrorCode::conflict) {
            throw;
        }
        // The same key registered by a concurrent request: that account is this one.
        if (const auto existing = find_existing()) {
            return account_response(*existing, acme, http::status::ok);
        }
        // Or the same kid bound by a concurrent request with another key.
        holder = acme.store().read(find_kid_holder);
        if (!holder) {
            throw;
        }
    }
    if (holder) {
        return problem_response(kid_already_bound(*holder));
    }
    return account_response(account, acme, http::status::created);
}

HttpResponse handle_acme_account(const RequestContext& context, AcmeService& acme) {
    auto checked = acme.authenticate(context, acme::KeyBinding::kid);
    if (const Problem* problem = acme::problem_of(checked)) {
        return problem_response(*problem);
    }
    const AcmeRequest& request = std::get<AcmeRequest>(checked);
    if (auto problem = check_same_account(context, request)) {
        return problem_response(*problem);
    }
    store::AcmeAccountRecord account = *request.account;
    if (request.message.post_as_get) {
        return account_response(account, acme, http::status::ok);
    }
    auto payload = request.message.payload_object();
    if (const Problem* problem = acme::problem_of(payload)) {
        return problem_response(*problem);
    }
    const nlohmann::json& body = std::get<nlohmann::json>(payload);
    if (auto problem = read_contact(body, account.contact)) {
        return problem_response(*problem);
    }
    if (const auto status = body.find("status"); status != body.end()) {
        if (*status != "deactivated") {
            return problem_response(
                {.type = ProblemType::malformed, .detail = "status: a client may only set \"deactivated\""});
        }
        account.status = "deactivated";
    }
    acme.store().commit([&](store::Transaction& tx) { store::update_acme_account(tx, account); });
    return account_response(account, acme, http::status::ok);
}

HttpResponse handle_acme_orders(const RequestContext& context, AcmeService& acme) {
    auto checked = acme.authenticate(context, acme::KeyBinding::kid);
    if (const Problem* problem = acme::problem_of(checked)) {
        return problem_response(*problem);
    }
    const AcmeRequest& request = std::get<AcmeRequest>(checked);
    if (auto problem = check_same_account(context, request)) {
        return problem_response(*problem);
    }
    const auto ids = acme.store().read(
        [&](store::Transaction& tx) { return store::acme_order_ids(tx, request.account->id); });
    nlohmann::json orders = nlohmann::json::array();
    for (const std::int64_t id : ids) {
        orders.push_back(acme.url(fmt::format("order/{}", id)));
    }
    return acme_json_response({{"orders", std::move(orders)}});
}

HttpResponse handle_acme_key_change(const RequestContext& context, AcmeService& acme) {
    auto checked = acme.authenticate(context, acme::KeyBinding::kid);
    if (const Problem* problem = acme::problem_of(checked)) {
        return problem_response(*problem);
    }
    const AcmeRequest& request = std::get<AcmeRequest>(checked);
    // RFC 8555 7.3.5: the payload is a JWS signed by the new key, with the same "url", no nonce, and a
    // payload {"account": <the outer kid>, "oldKey": <the current key>}.
    auto parsed = acme::parse_jws(request.message.payload);
    if (const Problem* problem = acme::problem_of(parsed)) {
        return problem_response(*problem);
    }
    const acme::JwsMessage& inner = std::get<acme::JwsMessage>(parsed);
    if (auto problem = acme::check_header(inner,
                                          {.url = request.message.url,
                                           .binding = acme::KeyBinding::jwk,
                                           .nonce = acme::NonceRule::forbidden})) {
        return problem_response(*problem);
    }
    auto new_key = acme::AccountKey::from_jwk(*inner.jwk);
    if (const Problem* problem = acme::problem_of(new_key)) {
        return problem_response(*problem);
    }
    const acme::AccountKey& key = std::get<acme::AccountKey>(new_key);
    if (auto problem = acme::check_signature(inner, key)) {
        return problem_response(*problem);
    }
    auto payload = inner.payload_object();
    if (const Problem* problem = acme::problem_of(payload)) {
        return problem_response(*problem);
    }
    const nlohmann::json& body = std::get<nlohmann::json>(payload);
    if (body.value("account", std::string()) != request.message.kid.value_or("")) {
        return problem_response({.type = ProblemType::malformed,
                                 .detail = R"(keyChange: the inner "account" is not the outer "kid")"});
    }
    const auto old_field = body.find("oldKey");
    auto old_key = old_field != body.end()
                       ? acme::AccountKey::from_jwk(*old_field)
                       : acme::Checked<acme::AccountKey>(
                             Problem{.type = ProblemType::malformed, .detail = "keyChange: no oldKey"});
    if (const Problem* problem = acme::problem_of(old_key)) {
        return problem_response(*problem);
    }
    if (std::get<acme::AccountKey>(old_key).thumbprint() != request.account->thumbprint) {
        return problem_response({.type = ProblemType::unauthorized,
                                 .detail = "keyChange: oldKey is not the account's current key"});
    }
    store::AcmeAccountRecord account = *request.account;
    account.thumbprint = key.thumbprint();
    account.jwk = key.canonical_jwk();
    try {
        acme.store().commit([&](store::Transaction& tx) { store::update_acme_account(tx, account); });
    } catch (const core::Error& e) {
        if (e.code() != core::ErrorCode::conflict) {
            throw;
        }
        // RFC 8555 7.3.5: "409 (Conflict) ... the Location header field [indicating] the URL of the
        // account that already holds the new key."
        const auto holder = acme.store().read([&](store::Transaction& tx) {
            return store::find_acme_account_by_thumbprint(tx, acme.ca().name(), key.thumbprint());
        });
        HttpResponse response = problem_response(
            {.type = ProblemType::malformed, .detail = "keyChange: the new key belongs to another account"});
        response.result(http::status::conflict);
        if (holder) {
            response.set(http::field::location, acme.url(fmt::format("acct/{}", holder->id)));
        }
        return response;
    }
    return account_response(account, acme, http::status::ok);
}

}  // namespace certfleet::server
