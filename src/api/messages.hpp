#pragma once
// The wire types of the /v1 API (docs/api.md shows each with an example). Field names are the JSON
// names. Every PEM travels as text; times as RFC 3339 UTC strings.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace certfleet::api {

/// Every error response: {"error": "<ErrorCode name>", "message": "...", "request_id": "..."}.
struct ErrorBody {
    std::string error;
    std::string message;
    std::string request_id;
};

/// GET /healthz and GET /readyz.
struct HealthStatus {
    std::string status;  ///< "ok", "ready" or "unavailable"
    std::string version;
    std::string detail;  ///< why not ready ("" when ready)
};

/// GET /v1/ca: what a client needs to trust the server and verify what it issues.
struct CaBundle {
    std::string authority;
    std::vector<std::string> chain_pem;  ///< the issuing CA first, up to and including the root
    std::string root_pem;
    std::string root_sha256;  ///< lower-case hex SHA-256 of the root's DER (the agent's bootstrap pin)
};

/// POST /v1/enroll: a one-time token and a CSR.
struct EnrollRequest {
    std::string token;
    std::string csr_pem;
};

/// POST /v1/requests (no token: queued for a decision) and POST /v1/renew (mTLS).
struct CsrSubmission {
    std::string csr_pem;
};

/// A certificate the server issued: enroll, renew, or a request once issued.
struct IssuedCertificate {
    std::string serial;  ///< lower-case hex
    std::string certificate_pem;
    std::string chain_pem;  ///< the issuing CA up to (not including) the root
    std::string not_after;
};

/// GET /v1/requests/ID and the answer to POST /v1/requests.
struct RequestStatus {
    std::string id;
    std::string name;
    std::string state;  ///< "pending", "issued", "denied"
    std::optional<IssuedCertificate> certificate;
    std::string reason;  ///< why denied
};

/// One target a tracked certificate is deployed to, as the agent reports it.
struct DeployedTarget {
    std::string path;
    std::string sha256;
};

/// One tracked certificate in a check-in.
struct TrackedCertificateReport {
    std::string name;
    std::string serial;
    std::string not_after;
    std::string state;
    std::vector<DeployedTarget> targets;
};

/// POST /v1/checkin (mTLS): what the node holds now.
struct Checkin {
    std::string agent_version;
    std::vector<TrackedCertificateReport> certificates;
};

/// One action for a node (GET /v1/actions); ids make them idempotent.
struct NodeAction {
    std::string id;
    std::string kind;      ///< "renew", "report", "re-enroll", "deploy-again", "operation"
    std::string argument;  ///< the operation's name for "operation", else ""
};

/// GET /v1/actions?wait=SECONDS: the actions queued for the calling node (empty when the wait ran out).
struct ActionList {
    std::vector<NodeAction> actions;
};

/// POST /v1/actions/ID (mTLS): how an action ended on the node.
struct ActionResult {
    std::string outcome;  ///< "succeeded", "failed", or "refused" (an operation the node does not define)
    std::string detail;   ///< what the agent reported ("renewed 1a2b -> 3c4d, deployed 20261130-...")
};

}  // namespace certfleet::api
