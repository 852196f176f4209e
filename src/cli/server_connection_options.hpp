#pragma once

#include <CLI/CLI.hpp>

#include <string>

namespace certfleet::cli {

/// The options of a command that can ask a server instead of reading the store (request, node, token):
/// with a server URL the command calls its admin routes, authenticating with an admin certificate
/// (certfleet admin-cert issue); without one it works on the store directly.
struct ServerConnectionOptions {
    std::string server;      ///< --server, else $CERTFLEET_SERVER: "https://ca.example.com:8443"
    std::string admin_cert;  ///< --admin-cert, else $CERTFLEET_ADMIN_CERT
    std::string admin_key;   ///< --admin-key, else $CERTFLEET_ADMIN_KEY
    std::string ca_file;     ///< --ca-file, else $CERTFLEET_CA_FILE: the server's trust anchors (PEM)

    /// Whether the command talks to a server.
    [[nodiscard]] bool has_server() const { return !server.empty(); }
};

/// Adds --server, --admin-cert, --admin-key and --ca-file, with their environment fallbacks.
void add_server_connection_options(CLI::App& command, ServerConnectionOptions& options);

}  // namespace certfleet::cli
