#include "cli/server_connection_options.hpp"

namespace certfleet::cli {

void add_server_connection_options(CLI::App& command, ServerConnectionOptions& options) {
    command
        .add_option("--server",
                    options.server,
                    "Ask this certfleet server (https://HOST:PORT) instead of the store; needs an admin\n"
                    "certificate (--admin-cert/--admin-key)")
        ->envname("CERTFLEET_SERVER");
    command
        .add_option("--admin-cert",
                    options.admin_cert,
                    "With --server: the admin certificate (certfleet admin-cert issue)")
        ->envname("CERTFLEET_ADMIN_CERT");
    command.add_option("--admin-key", options.admin_key, "With --server: the admin certificate's key")
        ->envname("CERTFLEET_ADMIN_KEY");
    command
        .add_option(
            "--ca-file",
            options.ca_file,
            "With --server: the CA certificates (PEM) to trust the server with; default: the system's")
        ->envname("CERTFLEET_CA_FILE");
}

}  // namespace certfleet::cli
