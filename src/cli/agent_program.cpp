#include "cli/agent_program.hpp"

#include "cli/command.hpp"
#include "cli/help_formatter.hpp"

#include <memory>

namespace certfleet::cli {

int run_agent_program(int argc, char** argv) {
    CLI::App app{"", "certfleet-agent"};
    app.formatter(std::make_shared<HelpFormatter>());
    app.set_version_flag("--version", "certfleet-agent " CERTFLEET_VERSION);
    CommandAction action;
    configure_agent_command(app, action);
    return run_reporting_errors("certfleet-agent", [&] {
        try {
            app.parse(argc, argv);
        } catch (const CLI::ParseError& e) {
            const int rc = app.exit(e);
            return rc == 0 ? 0 : static_cast<int>(ExitCode::invalid_input);
        }
        return static_cast<int>(action ? action() : ExitCode::invalid_input);
    });
}

}  // namespace certfleet::cli
