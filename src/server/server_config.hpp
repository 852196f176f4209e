#pragma once

#include "acme/http01_validator.hpp"
#include "core/duration.hpp"
#include "server/server_limits.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::server {

/// The ACME server's settings (`acme:` in server.yaml; docs/api.md, "ACME").
struct AcmeConfig {
    /// What clients see, e.g. "https://ca.example.com:8443" behind a load balancer: a JWS "url" must be
    /// this plus the request path. "" = https://<listen address>:<bound port>.
    std::string external_url;
    core::Seconds order_lifetime{24 * 3600};
    core::Seconds authorization_lifetime{24 * 3600};
    core::Seconds nonce_lifetime{300};
    std::size_t validation_workers = 2;  ///< threads that run http-01 fetches (each may wait a timeout)
    acme::Http01Options http01;          ///< port, timeout, max_body_bytes; resolve from `acme.resolve`
    /// External account binding (RFC 8555 7.3.4): newAccount must carry one (the directory's
    /// meta.externalAccountRequired says so); requires eab_keys_file.
    bool external_account_required = false;
    /// "KID HMAC_KEY" per line, mode 0600 (acme/external_account_keys.hpp); "" = no binding verifies.
    std::string eab_keys_file;
};

/// The `requests:` and `autosign:` sections: how POST /v1/requests is decided without an operator
/// (enrollment/autosign_rule.hpp).
struct RequestQueueConfig {
    std::string profile = "peer";               ///< requests.profile: what an approved request is issued as
    std::vector<std::string> autosign_globs;    ///< autosign.globs
    std::string autosign_challenge_file;        ///< autosign.challenge_file: the shared challengePassword
    std::string autosign_policy_executable;     ///< autosign.policy_executable
    core::Seconds autosign_policy_timeout{10};  ///< autosign.policy_timeout
};

/// `certfleet serve --config server.yaml` (examples/server.yaml documents each field). Every field has a
/// default, so `certfleet serve --listen 127.0.0.1:8443` needs no file.
struct ServerConfig {
    std::string listen_host = "127.0.0.1";
    unsigned short listen_port = 8443;
    std::string store;            ///< store URL; "" = the CLI's default store
    std::string authority;        ///< "" = the only authority in the store
    std::string passphrase_file;  ///< "" = $CREDENTIALS_DIRECTORY/ca-passphrase, else the CLI's sources
    std::vector<std::string> tls_names;  ///< the server certificate's names ("DNS:ca.example.com", "IP:...")
    std::string tls_directory;           ///< where server.crt and server.key live; "" = beside the store
    std::string tls_profile = "server";
    core::Seconds tls_validity{0};  ///< 0 = the profile's validity
    core::Seconds crl_validity{7 * 24 * 3600};
    std::string log_level = "info";
    ServerLimits limits;
    AcmeConfig acme;
    RequestQueueConfig requests;
    /// puppet_ca.allow_subject_alt_names: Puppet agents' CSRs may carry dns_alt_names (puppetserver's
    /// allow-subject-alt-names); refused by default.
    bool puppet_ca_allow_subject_alt_names = false;
};

/// Parses "HOST:PORT" ("[::1]:8443" for IPv6) into `host` and `port`.
/// Throws Error(invalid_input) naming `field` if it is not that shape.
void parse_listen_address(std::string_view text,
                          std::string_view field,
                          std::string& host,
                          unsigned short& port);

/// Reads a server config from YAML text; `source` names the file in messages.
/// Throws Error(invalid_input) naming the file and key for a malformed value or an unknown key.
ServerConfig parse_server_config(std::string_view yaml, std::string_view source);

}  // namespace certfleet::server
