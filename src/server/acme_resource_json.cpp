#include "server/acme_resource_json.hpp"

#include "core/utc_time.hpp"

#include <fmt/format.h>

namespace certfleet::server {

nlohmann::json account_json(const store::AcmeAccountRecord& account, const AcmeService& acme) {
    nlohmann::json out = {{"status", account.status},
                          {"contact", account.contact},
                          {"orders", acme.url(fmt::format("orders/{}", account.id))}};
    // RFC 8555 7.3.4: "The account object the CA returns MUST include an "externalAccountBinding" field
    // with the same value as the field in the request."
    if (!account.external_account_binding.empty()) {
        out["externalAccountBinding"] = nlohmann::json::parse(account.external_account_binding);
    }
    return out;
}

nlohmann::json order_json(const store::AcmeOrderRecord& order, const AcmeService& acme) {
    nlohmann::json identifiers = nlohmann::json::array();
    for (const std::string& name : order.identifiers) {
        identifiers.push_back({{"type", "dns"}, {"value", name}});
    }
    nlohmann::json authorizations = nlohmann::json::array();
    for (const std::int64_t id : order.authorization_ids) {
        authorizations.push_back(acme.url(fmt::format("authz/{}", id)));
    }
    nlohmann::json out = {{"status", order.status},
                          {"expires", core::format_time(order.expires)},
                          {"identifiers", std::move(identifiers)},
                          {"authorizations", std::move(authorizations)},
                          {"finalize", acme.url(fmt::format("finalize/{}", order.id))}};
    if (!order.certificate_serial.empty()) {
        out["certificate"] = acme.url(fmt::format("cert/{}", order.certificate_serial));
    }
    if (!order.error.empty()) {
        out["error"] = nlohmann::json::parse(order.error);
    }
    return out;
}

nlohmann::json challenge_json(const store::AcmeChallengeRecord& challenge, const AcmeService& acme) {
    nlohmann::json out = {{"type", challenge.type},
                          {"url", acme.url(fmt::format("chall/{}", challenge.id))},
                          {"status", challenge.status},
                          {"token", challenge.token}};
    if (challenge.validated_at && challenge.status == "valid") {
        out["validated"] = core::format_time(*challenge.validated_at);
    }
    if (!challenge.error.empty()) {
        out["error"] = nlohmann::json::parse(challenge.error);
    }
    return out;
}

nlohmann::json authorization_json(const store::AcmeAuthorizationRecord& authorization,
                                  const AcmeService& acme) {
    nlohmann::json challenges = nlohmann::json::array();
    for (const store::AcmeChallengeRecord& challenge : authorization.challenges) {
        challenges.push_back(challenge_json(challenge, acme));
    }
    return {{"identifier", {{"type", "dns"}, {"value", authorization.identifier}}},
            {"status", authorization.status},
            {"expires", core::format_time(authorization.expires)},
            {"challenges", std::move(challenges)}};
}

}  // namespace certfleet::server
