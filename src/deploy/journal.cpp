#include "deploy/journal.hpp"

#include "core/error.hpp"
#include "core/file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <utility>

namespace certfleet::deploy {
namespace {

constexpr std::array<std::pair<JournalState, std::string_view>, 7> state_names{{
    {JournalState::writing, "writing"},
    {JournalState::backed_up, "backed_up"},
    {JournalState::renamed, "renamed"},
    {JournalState::checking, "checking"},
    {JournalState::committed, "committed"},
    {JournalState::rolling_back, "rolling_back"},
    {JournalState::rolled_back, "rolled_back"},
}};

JournalState parse_state(const std::string& text, std::string_view source) {
    for (const auto& [state, name] : state_names) {
        if (name == text) {
            return state;
        }
    }
    throw core::Error(core::ErrorCode::invalid_input, fmt::format("{}: unknown state \"{}\"", source, text));
}

}  // namespace

std::string_view to_string(JournalState state) {
    for (const auto& [s, name] : state_names) {
        if (s == state) {
            return name;
        }
    }
    return "unknown";
}

bool is_finished(JournalState state) {
    return state == JournalState::committed || state == JournalState::rolled_back;
}

RecoveryAction recovery_action(JournalState state) {
    switch (state) {
        case JournalState::committed:
        case JournalState::rolled_back:
            return RecoveryAction::nothing;
        case JournalState::writing:
            return RecoveryAction::discard;
        case JournalState::backed_up:
        case JournalState::renamed:
        case JournalState::checking:
        case JournalState::rolling_back:
            // Health was not confirmed: what ran before is known to work, so go back to it.
            return RecoveryAction::restore;
    }
    return RecoveryAction::restore;
}

std::string to_json(const Journal& journal) {
    nlohmann::json entries = nlohmann::json::array();
    for (const JournalEntry& e : journal.entries) {
        entries.push_back({{"path", e.path}, {"temp", e.temp}, {"backup", e.backup}, {"existed", e.existed}});
    }
    nlohmann::json hooks = nlohmann::json::array();
    for (const HookSpec& h : journal.hooks) {
        hooks.push_back(
            {{"command", h.argv}, {"timeout_seconds", h.timeout.count()}, {"environment", h.environment}});
    }
    const nlohmann::json out{{"id", journal.id},
                             {"origin", journal.origin},
                             {"started_at", journal.started_at},
                             {"state", to_string(journal.state)},
                             {"entries", entries},
                             {"hooks", hooks},
                             {"backup_directory", journal.backup_directory},
                             {"failed_step", journal.failed_step},
                             {"failure", journal.failure},
                             {"recovered_by", journal.recovered_by}};
    return out.dump(2) + "\n";
}

Journal parse_journal(std::string_view text, std::string_view source) {
    try {
        const nlohmann::json in = nlohmann::json::parse(text);
        Journal journal{.id = in.at("id").get<std::string>(),
                        .origin = in.at("origin").get<std::string>(),
                        .started_at = in.at("started_at").get<std::string>(),
                        .state = parse_state(in.at("state").get<std::string>(), source),
                        .backup_directory = in.at("backup_directory").get<std::string>(),
                        .failed_step = in.at("failed_step").get<std::string>(),
                        .failure = in.at("failure").get<std::string>(),
                        .recovered_by = in.value("recovered_by", std::string())};
        for (const auto& e : in.at("entries")) {
            journal.entries.push_back({.path = e.at("path").get<std::string>(),
                                       .temp = e.at("temp").get<std::string>(),
                                       .backup = e.at("backup").get<std::string>(),
                                       .existed = e.at("existed").get<bool>()});
        }
        for (const auto& h : in.at("hooks")) {
            journal.hooks.push_back(
                {.argv = h.at("command").get<std::vector<std::string>>(),
                 .timeout = core::Seconds(h.at("timeout_seconds").get<std::int64_t>()),
                 .environment = h.at("environment").get<std::map<std::string, std::string>>()});
        }
        return journal;
    } catch (const nlohmann::json::exception& e) {
        throw core::Error(core::ErrorCode::invalid_input,
                          fmt::format("{}: not a deployment journal: {}", source, e.what()));
    }
}

void write_journal(const std::string& path, const Journal& journal) {
    core::write_file_atomically(
        path, to_json(journal), {.mode = 0600, .overwrite = core::Overwrite::replace});
}

}  // namespace certfleet::deploy
