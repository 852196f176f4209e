#include "cli/command_tree.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

namespace certfleet::cli {
namespace {

// Levenshtein distance: what git's "did you mean" and kubectl's suggestions are based on.
std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::string command_path(const CLI::App& app) {
    const CLI::App* parent = app.get_parent();
    if (parent == nullptr) {
        return {};
    }
    const std::string above = command_path(*parent);
    return above.empty() ? app.get_name() : above + " " + app.get_name();
}

CLI::App* find_subcommand(CLI::App& app, std::string_view name) {
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        if (!sub->get_name().empty() && sub->check_name(std::string(name))) {
            return sub;
        }
    }
    return nullptr;
}

std::vector<std::string> subcommand_names(CLI::App& app) {
    std::vector<std::string> names;
    for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
        if (!sub->get_name().empty() && !sub->get_group().empty()) {
            names.push_back(sub->get_name());
        }
    }
    return names;
}

std::optional<std::string> closest_name(std::string_view typed, const std::vector<std::string>& names) {
    std::optional<std::string> best;
    std::size_t best_distance = std::max<std::size_t>(2, typed.size() / 3) + 1;
    for (const std::string& name : names) {
        if (!typed.empty() && name.starts_with(typed)) {
            return name;
        }
        const std::size_t distance = edit_distance(typed, name);
        if (distance < best_distance) {
            best_distance = distance;
            best = name;
        }
    }
    return best;
}

CLI::App& resolve_command_words(CLI::App& app, const std::vector<std::string>& args) {
    CLI::App* current = &app;
    for (const std::string& word : args) {
        if (word.starts_with("-") || current->get_subcommands([](CLI::App*) { return true; }).empty()) {
            break;
        }
        CLI::App* next = find_subcommand(*current, word);
        if (next == nullptr) {
            const std::string parent = current == &app ? std::string{} : command_path(*current) + " ";
            const auto suggestion = closest_name(word, subcommand_names(*current));
            throw core::Error(
                core::ErrorCode::invalid_input,
                fmt::format("unknown command \"{}{}\"{}\nRun 'certfleet {}--help' for the list of commands.",
                            parent,
                            word,
                            suggestion ? fmt::format("; did you mean \"{}{}\"?", parent, *suggestion) : "",
                            parent));
        }
        current = next;
    }
    return *current;
}

}  // namespace certfleet::cli
