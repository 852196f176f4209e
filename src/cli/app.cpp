#include "cli/app.hpp"

#include "cli/command.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <iostream>

namespace certfleet::cli {

int run(int argc, char** argv) {
    CLI::App app{
        "certfleet - certificate authority and certificate lifecycle manager for clusters.\n\n"
        "Issues, verifies, packages, deploys, renews and inventories X.509 certificates.\n"
        "Exit status: 0 ok; 1 the check ran and found problems; 2 invalid input or usage;\n"
        "3 not authenticated or denied; 4 not found or conflict; 5 unavailable; 70 internal error.",
        "certfleet"};
    app.set_version_flag("--version", "certfleet 0.1.0");
    app.require_subcommand(1);
    app.fallthrough(false);
    CommandAction action;
    add_inspect_command(app, action);
    add_key_command(app, action);
    add_csr_command(app, action);
    add_scan_command(app, action);
    add_probe_command(app, action);
    add_bundle_command(app, action);
    add_verify_command(app, action);
    add_external_command(app, action);
    add_ca_command(app, action);
    add_cert_command(app, action);
    add_crl_command(app, action);
    add_chain_command(app, action);
    add_deploy_command(app, action);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : static_cast<int>(ExitCode::invalid_input);
    }
    try {
        return static_cast<int>(action ? action() : ExitCode::invalid_input);
    } catch (const core::Error& e) {
        std::cerr << "certfleet: " << e.what() << '\n';
        return static_cast<int>(exit_code_for(e.code()));
    } catch (const std::exception& e) {
        std::cerr << "certfleet: internal error: " << e.what() << '\n';
        return static_cast<int>(ExitCode::internal);
    }
}

}  // namespace certfleet::cli
