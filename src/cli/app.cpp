#include "cli/app.hpp"

#include "cli/admin_cert_command.hpp"
#include "cli/command.hpp"
#include "cli/command_tree.hpp"
#include "cli/completion.hpp"
#include "cli/help_formatter.hpp"
#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>

namespace certfleet::cli {
namespace {

using AddCommand = void (*)(CLI::App&, CommandAction&);

struct CommandGroup {
    const char* title;
    std::vector<AddCommand> commands;
};

// `certfleet --help` lists the commands one line each under these headings, in this order: what an
// operator does, as git and kubectl group theirs. A new command goes into the group of what it is
// for: serve, agent, node, request, token and admin-cert under "Fleet"; deploy under "Deploy".
// Its exit statuses go into tests/e2e/080-exit-statuses/cases.sh.
const std::vector<CommandGroup>& command_groups() {
    static const std::vector<CommandGroup> groups{
        {"Inspect and verify", {add_inspect_command, add_verify_command}},
        {"Keys and requests", {add_key_command, add_csr_command, add_external_command}},
        {"Authority", {add_ca_command, add_cert_command, add_crl_command}},
        {"Deploy", {add_deploy_command, add_bundle_command, add_chain_command}},
        {"Fleet: server, agent, nodes",
         {add_serve_command,
          add_agent_command,
          add_node_command,
          add_enroll_command,
          add_token_command,
          add_request_command,
          add_admin_cert_command}},
        {"Inventory", {add_scan_command, add_probe_command}},
    };
    return groups;
}

constexpr const char* footer =
    "Run 'certfleet COMMAND --help' (or 'man certfleet-COMMAND') for a command's options, examples and\n"
    "exit statuses.\n\n"
    "Exit status: 0 ok; 1 the check ran and found problems; 2 invalid input or usage;\n"
    "3 not authenticated or denied; 4 not found or conflict; 5 unavailable; 70 internal error.";

void build(CLI::App& app, CommandAction& action) {
    app.formatter(std::make_shared<HelpFormatter>());
    app.set_version_flag("--version", "certfleet " CERTFLEET_VERSION);
    app.require_subcommand(1);
    app.fallthrough(false);
    for (const CommandGroup& group : command_groups()) {
        for (const AddCommand add : group.commands) {
            add(app, action);
            app.get_subcommands([](CLI::App*) { return true; }).back()->group(group.title);
        }
    }
    app.footer(footer);  // after the commands: CLI11 copies a footer into commands added later
}

// `certfleet help [COMMAND...]` is `certfleet [COMMAND...] --help`, as in git.
std::vector<std::string> arguments_of(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (!args.empty() && args.front() == "help") {
        args.erase(args.begin());
        args.emplace_back("--help");
    }
    return args;
}

bool asks_for_help_or_version(const std::vector<std::string>& args) {
    return std::any_of(args.begin(), args.end(), [](const std::string& a) {
        return a == "-h" || a == "--help" || a == "--version";
    });
}

int parse_and_run(CLI::App& app, CommandAction& action, std::vector<std::string> args) {
    CLI::App& named = resolve_command_words(app, args);
    // `deploy` runs by itself and has subcommands too: only a command that needs one is a group.
    if (!subcommand_names(named).empty() && named.get_require_subcommand_min() > 0 &&
        !asks_for_help_or_version(args)) {
        // A group named alone (`certfleet ca`, or nothing at all): its command list, on stderr, exit 2.
        std::string prefix;  // CLI11 names a command by the words above it: "certfleet" for `ca`
        if (const CLI::App* parent = named.get_parent()) {
            const std::string above = command_path(*parent);
            prefix = above.empty() ? "certfleet" : "certfleet " + above;
        }
        std::cerr << named.help(prefix);
        if (&named != &app) {
            std::cerr << fmt::format("\ncertfleet: \"{}\" needs a command (listed above)\n",
                                     named.get_name());
        }
        return static_cast<int>(ExitCode::invalid_input);
    }
    std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector
    try {
        app.parse(args);
    } catch (const CLI::ParseError& e) {
        const int rc = app.exit(e);
        return rc == 0 ? 0 : static_cast<int>(ExitCode::invalid_input);
    }
    return static_cast<int>(action ? action() : ExitCode::invalid_input);
}

}  // namespace

int run(int argc, char** argv) {
    CLI::App app{
        "certfleet - certificate authority and certificate lifecycle manager for clusters.\n\n"
        "Issues, verifies, packages, deploys, renews and inventories X.509 certificates.",
        "certfleet"};
    CommandAction action;
    build(app, action);
    const std::vector<std::string> args = arguments_of(argc, argv);
    if (!args.empty() && args.front() == "__complete") {  // for the bash completion script
        for (const std::string& word : complete_words(app, {args.begin() + 1, args.end()})) {
            std::cout << word << '\n';
        }
        return 0;
    }
    return run_reporting_errors("certfleet", [&] { return parse_and_run(app, action, args); });
}

}  // namespace certfleet::cli
