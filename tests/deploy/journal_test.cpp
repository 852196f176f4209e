#include "deploy/journal.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace certfleet::deploy {
namespace {

struct RecoveryRow {
    JournalState state;
    RecoveryAction action;
    bool finished;
};

TEST(Journal, RecoveryRollsBackEveryUnfinishedStateThatMayHaveTouchedATarget) {
    const RecoveryRow rows[] = {
        {JournalState::writing, RecoveryAction::discard, false},
        {JournalState::backed_up, RecoveryAction::restore, false},
        {JournalState::renamed, RecoveryAction::restore, false},
        {JournalState::checking, RecoveryAction::restore, false},
        {JournalState::rolling_back, RecoveryAction::restore, false},
        {JournalState::committed, RecoveryAction::nothing, true},
        {JournalState::rolled_back, RecoveryAction::nothing, true},
    };
    for (const RecoveryRow& row : rows) {
        EXPECT_EQ(recovery_action(row.state), row.action) << to_string(row.state);
        EXPECT_EQ(is_finished(row.state), row.finished) << to_string(row.state);
    }
}

TEST(Journal, RoundTripsEveryFieldThroughJson) {
    Journal journal{.id = "20261130T170000Z-abcdef",
                    .origin = "deploy --spec /etc/certfleet/edge.yaml",
                    .started_at = "2026-11-30T17:00:00Z",
                    .state = JournalState::renamed,
                    .entries = {{"/etc/haproxy/certs/site.pem",
                                 "/etc/haproxy/certs/.site.pem.tmp",
                                 "/b/etc/site.pem",
                                 true},
                                {"/opt/app/node.key", "/opt/app/.node.key.tmp", "", false}},
                    .hooks = {{.argv = {"systemctl", "reload", "haproxy"},
                               .timeout = core::Seconds(30),
                               .environment = {{"A", "b"}}}},
                    .backup_directory = "/var/lib/certfleet/backups/20261130T170000Z-abcdef",
                    .failed_step = "hook",
                    .failure = "hook \"x\" failed: exit 1",
                    .recovered_by = "certfleet deploy"};
    const Journal back = parse_journal(to_json(journal), "j.json");
    EXPECT_EQ(back.id, journal.id);
    EXPECT_EQ(back.origin, journal.origin);
    EXPECT_EQ(back.started_at, journal.started_at);
    EXPECT_EQ(back.state, JournalState::renamed);
    ASSERT_EQ(back.entries.size(), 2U);
    EXPECT_EQ(back.entries[0].path, "/etc/haproxy/certs/site.pem");
    EXPECT_EQ(back.entries[0].backup, "/b/etc/site.pem");
    EXPECT_TRUE(back.entries[0].existed);
    EXPECT_FALSE(back.entries[1].existed);
    EXPECT_EQ(back.entries[1].temp, "/opt/app/.node.key.tmp");
    ASSERT_EQ(back.hooks.size(), 1U);
    EXPECT_EQ(back.hooks[0].argv, (std::vector<std::string>{"systemctl", "reload", "haproxy"}));
    EXPECT_EQ(back.hooks[0].timeout, core::Seconds(30));
    EXPECT_EQ(back.hooks[0].environment.at("A"), "b");
    EXPECT_EQ(back.backup_directory, journal.backup_directory);
    EXPECT_EQ(back.failed_step, "hook");
    EXPECT_EQ(back.failure, journal.failure);
    EXPECT_EQ(back.recovered_by, "certfleet deploy");
}

TEST(Journal, RefusesTextThatIsNotAJournalNamingTheFile) {
    for (const char* text : {"", "{}", "[1]", R"({"id":"x","origin":"","started_at":"","state":"flying",
        "entries":[],"hooks":[],"backup_directory":"","failed_step":"","failure":""})"}) {
        try {
            static_cast<void>(parse_journal(text, "broken.json"));
            ADD_FAILURE() << text;
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
            EXPECT_NE(std::string(e.what()).find("broken.json"), std::string::npos) << e.what();
        }
    }
}

TEST(Journal, IsWrittenPrivateAndReplacedWhole) {
    const testing::TempDir dir;
    const std::string path = dir.file("j.json");
    write_journal(path, {.id = "a", .state = JournalState::writing});
    write_journal(path, {.id = "a", .state = JournalState::committed});
    EXPECT_EQ(parse_journal(core::read_file(path), path).state, JournalState::committed);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777U, 0600U);
    EXPECT_EQ(dir.entries().size(), 1U);  // no temp file left
}

}  // namespace
}  // namespace certfleet::deploy
