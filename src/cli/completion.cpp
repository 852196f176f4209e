#include "cli/completion.hpp"

#include "cli/command_tree.hpp"

namespace certfleet::cli {
namespace {

// The option of `app` (or of an ancestor, as CLI11 falls through) whose name is `word`, else nullptr.
const CLI::Option* find_option(const CLI::App& app, const std::string& word) {
    const std::string name = word.substr(0, word.find('='));
    for (const CLI::App* level = &app; level != nullptr; level = level->get_parent()) {
        for (const CLI::Option* option : level->get_options({})) {
            if (option->nonpositional() && option->check_name(name)) {
                return option;
            }
        }
    }
    return nullptr;
}

bool takes_value(const CLI::Option& option) {
    return option.get_type_size_max() > 0;
}

}  // namespace

std::vector<std::string> complete_words(CLI::App& app, const std::vector<std::string>& words) {
    const std::string current = words.empty() ? std::string{} : words.back();
    CLI::App* level = &app;
    bool value_expected = false;
    for (std::size_t i = 0; i + 1 < words.size(); ++i) {
        const std::string& word = words[i];
        if (value_expected) {
            value_expected = false;
        } else if (word.starts_with("-")) {
            const CLI::Option* option = find_option(*level, word);
            value_expected = option != nullptr && takes_value(*option) && word.find('=') == std::string::npos;
        } else if (CLI::App* sub = find_subcommand(*level, word)) {
            level = sub;
        }
    }
    std::vector<std::string> candidates;
    if (value_expected) {
        return candidates;
    }
    if (current.starts_with("-")) {
        for (const CLI::Option* option : level->get_options({})) {
            if (!option->nonpositional() || option->get_group().empty()) {
                continue;
            }
            for (const std::string& name : option->get_lnames()) {
                if (("--" + name).starts_with(current)) {
                    candidates.push_back("--" + name);
                }
            }
        }
        return candidates;
    }
    for (const std::string& name : subcommand_names(*level)) {
        if (name.starts_with(current)) {
            candidates.push_back(name);
        }
    }
    return candidates;
}

}  // namespace certfleet::cli
