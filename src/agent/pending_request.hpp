#pragma once

#include "agent/agent_config.hpp"
#include "api/messages.hpp"
#include "pki/csr.hpp"
#include "pki/private_key.hpp"

#include <string>
#include <string_view>

namespace certfleet::agent {

/// Returns STATE_DIR/agent/NAME.key: the key of a certificate requested by pending request
/// (bootstrap.pending_request), kept on the node, 0600, from before its CSR leaves until its certificate
/// is deployed, so that every pass polls for the same request. Throws as record_path.
std::string pending_key_path(const std::string& state_dir, std::string_view name);

/// Returns the key kept for `tracked`'s request, or makes one (enrollment_key) and writes it 0600 first.
/// Throws Error(invalid_input) naming the file if it holds no key; Error(unavailable) on an I/O error.
pki::PrivateKey pending_request_key(const std::string& state_dir, const TrackedCertificate& tracked);

/// Returns whether a key is kept for `name`'s request.
bool has_pending_request_key(const std::string& state_dir, std::string_view name);

/// Removes the key kept for `name`'s request (deployed, denied, or replaced by `agent adopt`).
void forget_pending_request_key(const std::string& state_dir, std::string_view name);

/// POST /v1/requests with the CSR and no token (the server trusted by ca_file, no client certificate):
/// the answer is "pending" with the id to poll, or "issued" when autosign signed it at once.
/// Throws Error(conflict) when the server already holds a request for the name, Error(unavailable)
/// for a server that cannot be reached, as api::throw_for_reply otherwise.
api::RequestStatus submit_request(const AgentConfig& config, const pki::Csr& csr);

/// GET /v1/requests/ID: "pending", "issued" (with the certificate) or "denied" (with the reason).
/// Throws Error(not_found) for an id the server does not know, as submit_request otherwise.
api::RequestStatus poll_request(const AgentConfig& config, std::string_view id);

}  // namespace certfleet::agent
