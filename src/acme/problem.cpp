#include "acme/problem.hpp"

namespace certfleet::acme {

std::string_view to_string(ProblemType type) noexcept {
    switch (type) {
        case ProblemType::account_does_not_exist:
            return "accountDoesNotExist";
        case ProblemType::already_revoked:
            return "alreadyRevoked";
        case ProblemType::bad_csr:
            return "badCSR";
        case ProblemType::bad_nonce:
            return "badNonce";
        case ProblemType::bad_public_key:
            return "badPublicKey";
        case ProblemType::bad_revocation_reason:
            return "badRevocationReason";
        case ProblemType::bad_signature_algorithm:
            return "badSignatureAlgorithm";
        case ProblemType::connection:
            return "connection";
        case ProblemType::external_account_required:
            return "externalAccountRequired";
        case ProblemType::incorrect_response:
            return "incorrectResponse";
        case ProblemType::invalid_contact:
            return "invalidContact";
        case ProblemType::malformed:
            return "malformed";
        case ProblemType::order_not_ready:
            return "orderNotReady";
        case ProblemType::rejected_identifier:
            return "rejectedIdentifier";
        case ProblemType::server_internal:
            return "serverInternal";
        case ProblemType::unauthorized:
            return "unauthorized";
        case ProblemType::unsupported_identifier:
            return "unsupportedIdentifier";
    }
    return "serverInternal";
}

std::string Problem::type_urn() const {
    return "urn:ietf:params:acme:error:" + std::string(to_string(type));
}

// RFC 8555 leaves most statuses to the server; these follow Boulder and Pebble, which certbot is tested
// against: 403 for an authorization failure, for finalizing an order that is not ready (Boulder
// answers orderNotReady with 403) and for a newAccount without the external account binding the server
// requires (Pebble's externalAccountRequired), 400 for every other refusal of the request, 500 for our own
// faults.
int Problem::http_status() const noexcept {
    switch (type) {
        case ProblemType::unauthorized:
        case ProblemType::order_not_ready:
        case ProblemType::external_account_required:
            return 403;
        case ProblemType::server_internal:
            return 500;
        default:
            return 400;
    }
}

nlohmann::json Problem::to_json() const {
    nlohmann::json out = {{"type", type_urn()}, {"detail", detail}, {"status", http_status()}};
    if (identifier) {
        out["identifier"] = {{"type", "dns"}, {"value", *identifier}};
    }
    if (!algorithms.empty()) {
        out["algorithms"] = algorithms;
    }
    if (!subproblems.empty()) {
        nlohmann::json list = nlohmann::json::array();
        for (const Problem& sub : subproblems) {
            nlohmann::json entry = sub.to_json();
            entry.erase("status");
            list.push_back(std::move(entry));
        }
        out["subproblems"] = std::move(list);
    }
    return out;
}

}  // namespace certfleet::acme
