#include "authority/authority.hpp"
#include "cli/authority_options.hpp"
#include "cli/command.hpp"
#include "cli/daemon_logging.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "server/ca_server.hpp"
#include "server/descriptor_limit.hpp"
#include "server/server_config.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sys/prctl.h>

namespace certfleet::cli {
namespace {

struct ServeOptions {
    std::string config;
    std::string listen;
    std::string store;
    std::string ca;
    std::string passphrase_file;
    std::string tls_directory;
    std::string log_level;
};

// The passphrase never comes from argv (it would show in ps): --passphrase-file, the config's
// passphrase_file, a systemd credential (LoadCredential=ca-passphrase:/etc/certfleet/ca.pass puts it in
// $CREDENTIALS_DIRECTORY), then $CERTFLEET_CA_PASSPHRASE or a prompt, as the other commands.
core::Secret serve_passphrase(const ServeOptions& o, const server::ServerConfig& config) {
    if (!o.passphrase_file.empty()) {
        return read_ca_passphrase(o.passphrase_file, false);
    }
    if (!config.passphrase_file.empty()) {
        return read_ca_passphrase(config.passphrase_file, false);
    }
    if (const char* credentials = std::getenv("CREDENTIALS_DIRECTORY"); credentials != nullptr) {
        const std::string path = std::string(credentials) + "/ca-passphrase";
        std::error_code ec;
        if (std::filesystem::exists(path, ec)) {
            return read_ca_passphrase(path, false);
        }
    }
    return read_ca_passphrase("", false);
}

std::string default_tls_directory(const std::string& store_url) {
    if (const char* state = std::getenv("CERTFLEET_STATE_DIR"); state != nullptr && *state != '\0') {
        return std::string(state) + "/server-tls";
    }
    const std::string_view url = store_url;
    if (url.starts_with("sqlite://") && url != "sqlite::memory:") {
        return (std::filesystem::path(url.substr(9)).parent_path() / "server-tls").string();
    }
    if (const char* home = std::getenv("HOME"); home != nullptr) {
        return std::string(home) + "/.local/state/certfleet/server-tls";
    }
    throw core::Error(core::ErrorCode::invalid_input,
                      "no --tls-dir, tls.directory, $CERTFLEET_STATE_DIR or $HOME");
}

// Every connection, held long-polls included, is a descriptor: the soft limit a shell or systemd starts us
// with (1024) would refuse agents long before limits.max_connections (bench/RESULTS.md, fleet capacity).
void raise_descriptor_limit(std::size_t max_connections) {
    try {
        const server::DescriptorLimit limit = server::raise_descriptor_limit();
        if (limit.soft != limit.before) {
            spdlog::info("descriptor limit raised from {} to {} (the hard limit)", limit.before, limit.soft);
        }
        if (limit.soft < max_connections + 64) {
            spdlog::warn(
                "descriptor limit {} is below limits.max_connections ({}) plus the store's: "
                "connections beyond about {} will be refused (raise LimitNOFILE= or ulimit -Hn)",
                limit.soft,
                max_connections,
                limit.soft > 64 ? limit.soft - 64 : 0);
        }
    } catch (const core::Error& e) {
        spdlog::warn("descriptor limit not raised: {}", e.what());
    }
}

ExitCode run_serve(const ServeOptions& o) {
    // A CA key lives in this process's memory: no core dumps, no ptrace by other users' processes.
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    server::ServerConfig config;
    if (!o.config.empty()) {
        config = server::parse_server_config(core::read_file(o.config), o.config);
    }
    if (!o.listen.empty()) {
        server::parse_listen_address(o.listen, "--listen", config.listen_host, config.listen_port);
    }
    if (!o.log_level.empty()) {
        config.log_level = o.log_level;
    }
    log_to_stderr(config.log_level);
    raise_descriptor_limit(config.limits.max_connections);
    const std::string store_url = resolve_store_url(o.store.empty() ? config.store : o.store);
    const auto store = store::open_store(store_url);
    const std::string name = authority::choose_authority(*store, o.ca.empty() ? config.authority : o.ca);
    const core::Secret passphrase = serve_passphrase(o, config);
    authority::Authority ca = authority::Authority::open(*store, name, passphrase);
    const std::string tls_directory = !o.tls_directory.empty()        ? o.tls_directory
                                      : !config.tls_directory.empty() ? config.tls_directory
                                                                      : default_tls_directory(store_url);
    const core::SystemClock clock;
    server::CaServer server(config, tls_directory, *store, ca, clock);
    std::cerr << fmt::format("certfleet serve: authority \"{}\" on https://{}:{}\n",
                             name,
                             config.listen_host,
                             server.port())
              << std::flush;
    server.run();
    return ExitCode::ok;
}

}  // namespace

void add_serve_command(CLI::App& app, CommandAction& action) {
    auto o = std::make_shared<ServeOptions>();
    CLI::App* serve = app.add_subcommand(
        "serve",
        "Serve the CA over HTTPS: CA bundle, CRL, health and metrics (docs/api.md).\n\n"
        "The server's own TLS certificate is issued by the CA at start when missing (server.crt and\n"
        "server.key in --tls-dir) and renewed at two thirds of its life. Client certificates are\n"
        "optional per route; one that is expired, revoked or unknown gets 401 on every route.\n"
        "The CA passphrase comes from --passphrase-file, the config's passphrase_file, the systemd\n"
        "credential ca-passphrase ($CREDENTIALS_DIRECTORY), $CERTFLEET_CA_PASSPHRASE or a prompt;\n"
        "never from the command line. Logs (one line per request, with its id) go to standard error.\n\n"
        "Examples:\n"
        "  certfleet serve --listen 127.0.0.1:8443 --passphrase-file ca.pass\n"
        "  certfleet serve --config /etc/certfleet/server.yaml\n\n"
        "Exit status: 0 stopped by SIGTERM/SIGINT; 2 invalid config or input; 3 wrong CA passphrase;\n"
        "4 no such authority; 5 store unavailable or address in use.");
    serve->add_option("--config", o->config, "Server config (YAML, see examples/server.yaml)");
    serve->add_option("--listen", o->listen, "Address to listen on, HOST:PORT (default 127.0.0.1:8443)");
    serve->add_option("--store",
                      o->store,
                      "Store URL (default: the config's store, $CERTFLEET_STORE, else "
                      "~/.local/state/certfleet/certfleet.db)");
    serve->add_option("--ca", o->ca, "Authority to serve (default: the only one in the store)");
    serve->add_option("--passphrase-file", o->passphrase_file, "File holding the CA passphrase");
    serve->add_option("--tls-dir", o->tls_directory, "Directory of the server's own certificate and key");
    serve->add_option("--log-level", o->log_level, "debug, info, warn or error (default info)");
    serve->callback([&action, o] { action = [o] { return run_serve(*o); }; });
}

}  // namespace certfleet::cli
