#pragma once

#include "core/duration.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::agent {

/// One certificate the agent keeps valid: its deploy spec (whose `certificate` files are the current
/// certificate, its key and chain) and when to renew it.
struct TrackedCertificate {
    std::string name;
    std::string deploy_spec;                    ///< path of the deploy spec (docs/deploy.md)
    std::optional<core::Seconds> renew_before;  ///< renew this long before notAfter (if sooner than 2/3)
    std::string key_type;                       ///< the new key's type; "" keeps the current key's
    std::string subject;                        ///< first enrollment: the CSR subject (CN=node1.example.com)
    std::vector<std::string> sans;              ///< first enrollment: its subjectAltNames ("DNS:node1")
};

/// How a first enrollment asks the server.
enum class BootstrapMethod {
    token_file,       ///< POST /v1/enroll with a one-time token: issued at once
    pending_request,  ///< POST /v1/requests with no token: an operator (or autosign) decides; polled
};

/// How a node gets a tracked certificate whose files do not exist yet (issue 15's first enrollment).
struct Bootstrap {
    BootstrapMethod method = BootstrapMethod::token_file;
    std::string token_file;  ///< token_file: a one-time token from `certfleet token create`
};

/// The node's configuration (docs/agent.md).
struct AgentConfig {
    std::string server;     ///< "https://ca.example.com:8443"
    std::string ca_file;    ///< PEM trust anchors for the server
    std::string state_dir;  ///< deploy journals and backups; "" = the deploy default
    std::vector<TrackedCertificate> certificates;
    std::optional<Bootstrap> bootstrap;  ///< absent: a missing certificate is a failure
    /// The node's own operations, by name: the argv each runs (no shell). The server may ask for one by
    /// name (agent/node_operation.hpp); it never sends a command.
    std::map<std::string, std::vector<std::string>> operations;
    core::Seconds operation_timeout{300};  ///< an operation still running then is killed
};

/// Parses the agent configuration (YAML). Relative paths are taken from `base_directory`.
/// Throws Error(invalid_input) naming `source` and the field: not YAML, unknown field, missing server,
/// no certificates, a duplicate name, a bad duration or key type, an operation that is not a name mapped
/// to a non-empty list of words.
AgentConfig parse_agent_config(std::string_view yaml,
                               std::string_view source,
                               const std::string& base_directory);

}  // namespace certfleet::agent
