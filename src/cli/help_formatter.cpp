#include "cli/help_formatter.hpp"

#include <sstream>

namespace certfleet::cli {

HelpFormatter::HelpFormatter() {
    column_width(20);
}

std::string summary_of(const CLI::App& app) {
    const std::string& description = app.get_description();
    return description.substr(0, description.find('\n'));
}

std::string HelpFormatter::make_subcommand(const CLI::App* sub) const {
    std::stringstream out;
    CLI::detail::format_help(out, sub->get_display_name(), summary_of(*sub), get_column_width());
    return out.str();
}

std::string HelpFormatter::make_usage(const CLI::App* app, std::string name) const {
    // A blank line between the description and the usage, as in a man page.
    const bool has_commands = !app->get_subcommands([](const CLI::App*) { return true; }).empty();
    if (!has_commands) {
        return "\n" + CLI::Formatter::make_usage(app, std::move(name));
    }
    return "\nUsage: " + name + " COMMAND [OPTIONS]\n";
}

}  // namespace certfleet::cli
