#pragma once

#include "agent/agent_config.hpp"
#include "api/messages.hpp"
#include "pki/csr.hpp"
#include "pki/private_key.hpp"

namespace certfleet::agent {

/// The key of a first enrollment (or of a re-enrollment after a CA change), made on the node:
/// `key_type`, default ec:p256.
pki::PrivateKey enrollment_key(const TrackedCertificate& tracked);

/// The CSR of a first enrollment: the tracked certificate's `subject` and `sans`, serverAuth and
/// clientAuth (so that it renews itself over mTLS afterwards).
/// Throws Error(invalid_input) naming the certificate if it has no subject.
pki::Csr enrollment_csr(const TrackedCertificate& tracked, const pki::PrivateKey& key);

/// POST /v1/enroll with the bootstrap token (bootstrap.token_file; no client certificate, the server
/// trusted by ca_file). Returns the issued certificate and chain.
/// Throws Error(invalid_input) if no bootstrap is configured, Error(forbidden) for a token the server
/// refuses, Error(unavailable) for a server that cannot be reached.
api::IssuedCertificate request_enrollment(const AgentConfig& config, const pki::Csr& csr);

}  // namespace certfleet::agent
