#pragma once

#include "authority/authority.hpp"
#include "core/duration.hpp"
#include "pki/certificate.hpp"
#include "pki/private_key.hpp"
#include "pki/subject_alt_names.hpp"

#include <optional>
#include <string>
#include <vector>

namespace certfleet::server {

/// The server's own TLS certificate, issued by the authority it serves.
struct ServerIdentity {
    pki::Certificate certificate;
    std::vector<pki::Certificate> chain;  ///< issuers up to (not including) the root
    pki::PrivateKey key;
};

/// Where the identity lives and what it names.
struct ServerIdentityOptions {
    std::string directory;                ///< holds server.crt (leaf + chain) and server.key (0600)
    std::vector<pki::GeneralName> names;  ///< the first is the commonName
    std::string profile = "server";
    std::optional<core::Seconds> validity;  ///< the profile's when absent
};

/// Returns when `certificate` should be replaced: at two thirds of its lifetime (as agents renew).
core::TimePoint renewal_due_at(const pki::Certificate& certificate);

/// Loads the identity from options.directory; returns nullopt when it is missing, unreadable, issued by
/// another CA than `ca`, lacks one of options.names or is due at `now`.
std::optional<ServerIdentity> load_server_identity(const authority::Authority& ca,
                                                   const ServerIdentityOptions& options,
                                                   core::TimePoint now);

/// Issues a new identity through `ca` (key generated here, P-256), writes it to options.directory
/// (atomically; the key 0600) and returns it. Throws what the authority throws (a policy refusal names
/// the rule) and Error(unavailable) when the directory cannot be written.
ServerIdentity issue_server_identity(const authority::Authority& ca,
                                     const ServerIdentityOptions& options,
                                     core::TimePoint now);

/// Returns the names a server listening on `host` should present: its IP (or, for 0.0.0.0 / ::, the
/// machine's host name) and, on loopback, DNS:localhost.
std::vector<pki::GeneralName> default_server_names(const std::string& host);

}  // namespace certfleet::server
