#pragma once
// The wire types of the admin routes (/v1/admin/..., docs/api.md "Administration"): what `certfleet
// request`, `node` and `token` show, whether they read the store or ask a server (--server). The CLI's
// --json prints these same objects, so both paths print the same thing.

#include "core/secret.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace certfleet::api {

/// One certificate request as an operator sees it (request list, approve, deny).
struct RequestSummary {
    std::int64_t id = 0;
    std::string name;
    std::string names;   ///< the names the CSR asks for, comma-separated ("?" when unreadable)
    std::string state;   ///< "pending", "issued", "denied"
    std::string source;  ///< "api" or "puppet"
    std::string profile;
    std::string submitted_at;
    std::string decided_at;  ///< "" while pending (JSON null)
    std::string decided_by;
    std::string reason;
    std::string serial;   ///< of the issued certificate, "" otherwise
    std::string expires;  ///< not after of the certificate just issued (approve only; omitted when "")
};

/// GET /v1/admin/requests[?all=true]; the answer to POST /v1/admin/requests/approve.
struct RequestList {
    std::vector<RequestSummary> requests;
};

/// POST /v1/admin/requests/approve and .../deny: which pending request (an id or the name it asks as),
/// or every pending one (`all`, approve only); why (deny only, shown to the node).
struct RequestDecision {
    std::string request;
    bool all = false;
    std::string reason;
};

/// One tracked certificate of a node: what the node reported, with seed 001's `status` fields from the
/// ledger when the CA knows its serial (each "" when unknown, and then omitted from the JSON).
struct NodeCertificate {
    std::string name;
    std::string serial;
    std::string state;
    std::string expires;
    std::string subject;
    std::string issuer;
    std::string key;
    std::string signature_algorithm;
    std::string activated;
    std::string sha1_fingerprint;
};

/// One node (node list).
struct NodeSummary {
    std::string name;
    bool connected = false;
    std::string last_seen;  ///< RFC 3339, or "never"
    std::string agent_version;
    std::string client_serial;
    std::vector<NodeCertificate> certificates;
};

/// GET /v1/admin/nodes.
struct NodeList {
    std::vector<NodeSummary> nodes;
};

/// POST /v1/admin/node-actions: queue an action for a connected node.
struct NodeActionRequest {
    std::string node;
    std::string kind;      ///< "renew" or "report"
    std::string argument;  ///< for renew: one tracked certificate ("" = every one)
};

/// An action and where it is: the answer to POST /v1/admin/node-actions and GET .../node-actions/ID.
struct NodeActionStatus {
    std::int64_t id = 0;
    std::string node;
    std::string kind;
    std::string argument;
    std::string state;   ///< queued, delivered, succeeded, failed, expired
    std::string result;  ///< what the node reported ("" until finished)

    /// Whether the node has not reported yet (queued or delivered).
    [[nodiscard]] bool is_open() const { return state == "queued" || state == "delivered"; }
};

/// POST /v1/admin/tokens: what a new one-time enrollment token grants.
struct TokenRequest {
    std::vector<std::string> names;  ///< "node1.example.com", "IP:10.0.0.1"; the first is the node's name
    std::string profile = "peer";
    std::int64_t ttl_seconds = 3600;
};

/// The answer to POST /v1/admin/tokens: the token, shown this once (the store keeps its hash).
struct TokenGrant {
    core::Secret token;
    std::string id;  ///< the first 12 hex digits of its SHA-256: how logs and the audit name it
    std::string authority;
    std::vector<std::string> names;
    std::string profile;
    std::string expires_at;
};

/// Each returns one admin wire type as a JSON value (what encode() dumps and the CLI's --json prints).
nlohmann::json to_json(const RequestSummary& value);
nlohmann::json to_json(const NodeSummary& value);
nlohmann::json to_json(const NodeActionStatus& value);
nlohmann::json to_json(const TokenGrant& value);

/// Each encodes one admin wire type as compact JSON.
std::string encode(const RequestList& value);
std::string encode(const RequestSummary& value);
std::string encode(const RequestDecision& value);
std::string encode(const NodeList& value);
std::string encode(const NodeActionRequest& value);
std::string encode(const NodeActionStatus& value);
std::string encode(const TokenRequest& value);
std::string encode(const TokenGrant& value);

}  // namespace certfleet::api
