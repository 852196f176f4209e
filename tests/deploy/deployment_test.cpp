#include "deploy/deployment.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "deploy/recovery.hpp"
#include "formats/fixtures.hpp"
#include "temp_dir.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sys/stat.h>
#include <sys/xattr.h>

namespace certfleet::deploy {
namespace {

using formats::testing::server_bundle;

mode_t mode_of(const std::string& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777U;
}

struct Fixture {
    testing::TempDir dir;
    std::string service = dir.file("service");
    StateDirectory state{dir.file("state")};
    formats::CertifiedKey bundle = server_bundle();

    Fixture() { std::filesystem::create_directory(service); }

    [[nodiscard]] DeploymentPlan plan(std::vector<HookSpec> hooks = {},
                                      std::vector<HealthCheckSpec> checks = {}) const {
        DeploymentSpec spec{
            .targets = {{.format = "files",
                         .files = {{"cert", service + "/node.cert"}, {"key", service + "/node.key"}}}},
            .on_change = std::move(hooks),
            .health_checks = std::move(checks)};
        return plan_deployment(spec, bundle, {});
    }
    DeploymentReport run(const DeploymentPlan& p) { return run_deployment(p, state, {.origin = "test"}); }
};

TEST(Deployment, ReplacesEveryTargetAndKeepsBackupsOutsideTheServiceDirectory) {
    Fixture f;
    const std::string cert = f.service + "/node.cert";
    f.dir.write("service/node.cert", "old certificate\n");
    ::chmod(cert.c_str(), 0640);
    ASSERT_EQ(::setxattr(cert.c_str(), "user.origin", "ops", 3, 0), 0);
    const DeploymentReport report = f.run(f.plan({{.argv = {"true"}}}));
    ASSERT_EQ(report.outcome, DeploymentOutcome::deployed) << report.failure;
    EXPECT_EQ(core::read_file(cert), f.bundle.certificate.pem());
    EXPECT_EQ(mode_of(cert), 0640U) << "an existing target keeps its mode";
    EXPECT_EQ(mode_of(f.service + "/node.key"), 0600U);
    std::array<char, 8> value{};
    EXPECT_EQ(::getxattr(cert.c_str(), "user.origin", value.data(), value.size()), 3) << "attributes kept";
    EXPECT_EQ(std::filesystem::directory_iterator(f.service) != std::filesystem::directory_iterator(), true);
    for (const auto& entry : std::filesystem::directory_iterator(f.service)) {
        EXPECT_TRUE(entry.path().filename() == "node.cert" || entry.path().filename() == "node.key")
            << "left in the service directory: " << entry.path();
    }
    const std::string backup = report.backup_directory + cert;
    EXPECT_EQ(core::read_file(backup), "old certificate\n");
    EXPECT_EQ(mode_of(backup), 0640U);
    EXPECT_EQ(f.state.journal(report.id).state, JournalState::committed);
}

TEST(Deployment, HistoryListsDeploymentsInTheOrderTheyStartedEvenWithinOneSecond) {
    Fixture f;  // every deployment at the same `now`: the ids alone must order them
    std::vector<std::string> started;
    for (int i = 0; i < 6; ++i) {
        f.dir.write("service/node.cert", fmt::format("previous certificate {}\n", i));
        const DeploymentReport report = f.run(f.plan());
        ASSERT_EQ(report.outcome, DeploymentOutcome::deployed) << report.failure;
        started.push_back(report.id);
    }
    std::vector<std::string> listed;
    for (const Journal& journal : f.state.journals()) {
        listed.push_back(journal.id);
    }
    EXPECT_EQ(listed, started);
}

TEST(Deployment, RunsNoHookWhenNothingChanges) {
    Fixture f;
    ASSERT_EQ(f.run(f.plan()).outcome, DeploymentOutcome::deployed);
    const std::string marker = f.dir.file("hook-ran");
    const DeploymentReport again = f.run(f.plan({{.argv = {"touch", marker}}}));
    EXPECT_EQ(again.outcome, DeploymentOutcome::unchanged);
    EXPECT_TRUE(again.id.empty());
    EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST(Deployment, RestoresEveryTargetWhenAHookOrHealthCheckFails) {
    struct Row {
        std::vector<HookSpec> hooks;
        std::vector<HealthCheckSpec> checks;
        const char* step;
        const char* cause;
    };
    const std::vector<Row> rows = {
        {{{.argv = {"sh", "-c", "echo reload refused >&2; exit 3"}}}, {}, "hook", "exit 3: reload refused"},
        {{}, {{.argv = {"false"}, .retries = 1, .interval = core::Seconds(0)}}, "health_check", "2 attempts"},
        {{{.argv = {"sleep", "5"}, .timeout = core::Seconds(1)}}, {}, "hook", "timed out"},
    };
    for (const Row& row : rows) {
        Fixture f;
        f.dir.write("service/node.cert", "old certificate\n");
        ::chmod((f.service + "/node.cert").c_str(), 0604);
        const DeploymentReport report = f.run(f.plan(row.hooks, row.checks));
        EXPECT_EQ(report.outcome, DeploymentOutcome::rolled_back);
        EXPECT_EQ(report.failed_step, row.step);
        EXPECT_NE(report.failure.find(row.cause), std::string::npos) << report.failure;
        EXPECT_EQ(core::read_file(f.service + "/node.cert"), "old certificate\n");
        EXPECT_EQ(mode_of(f.service + "/node.cert"), 0604U);
        EXPECT_FALSE(std::filesystem::exists(f.service + "/node.key")) << "a file it created is removed";
        EXPECT_EQ(f.state.journal(report.id).state, JournalState::rolled_back);
    }
}

TEST(Deployment, FailsClearlyWhenAnotherDeploymentHoldsATarget) {
    Fixture f;
    const DeploymentPlan plan = f.plan();
    const std::optional<FileLock> other =
        FileLock::try_acquire(f.state.target_lock_path(f.service + "/node.key"), "deployment X (pid 1)");
    ASSERT_TRUE(other.has_value());
    try {
        f.run(plan);
        ADD_FAILURE() << "ran despite the lock";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
        EXPECT_NE(std::string(e.what()).find("deployment X (pid 1)"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(std::filesystem::exists(f.service + "/node.cert"));
}

TEST(Recovery, RestoresTargetsLeftByADeploymentWhoseProcessIsGone) {
    Fixture f;
    const std::string target = f.dir.write("service/site.pem", "new, unhealthy\n");
    const std::string backup = f.dir.file("state/backups/X") + target;
    std::filesystem::create_directories(std::filesystem::path(backup).parent_path());
    f.dir.write(std::filesystem::relative(backup, f.dir.path()).string(), "old, healthy\n");
    ::chmod(backup.c_str(), 0440);
    const std::string created = f.dir.write("service/new.key", "created by the deployment\n");
    const std::string temp = f.dir.write("service/.other.tmp", "not yet renamed\n");
    write_journal(
        f.state.journal_path("X"),
        {.id = "X",
         .state = JournalState::renamed,
         .entries = {{target, f.dir.file("service/.site.tmp"), backup, true}, {created, temp, "", false}},
         .hooks = {{.argv = {"sh", "-c", "echo $CERTFLEET_DEPLOY_PHASE > " + f.dir.file("phase")}}}});
    const std::vector<RecoveryReport> recovered = recover_interrupted(f.state, "test");
    ASSERT_EQ(recovered.size(), 1U);
    EXPECT_EQ(recovered[0].state, "renamed");
    EXPECT_EQ(core::read_file(target), "old, healthy\n");
    EXPECT_EQ(mode_of(target), 0440U);
    EXPECT_FALSE(std::filesystem::exists(created));
    EXPECT_FALSE(std::filesystem::exists(temp));
    EXPECT_EQ(core::read_file(f.dir.file("phase")), "rollback\n");
    const Journal after = f.state.journal("X");
    EXPECT_EQ(after.state, JournalState::rolled_back);
    EXPECT_EQ(after.failed_step, "interrupted");
    EXPECT_TRUE(recover_interrupted(f.state, "test").empty()) << "a finished journal is left alone";
}

TEST(Recovery, LeavesAJournalWhoseHolderStillRuns) {
    Fixture f;
    const std::string target = f.dir.write("service/site.pem", "in progress\n");
    write_journal(
        f.state.journal_path("Y"),
        {.id = "Y", .state = JournalState::renamed, .entries = {{target, "", "/nonexistent", true}}});
    const std::optional<FileLock> running =
        FileLock::try_acquire(f.state.journal_lock_path("Y"), "deployment Y");
    EXPECT_TRUE(recover_interrupted(f.state, "test").empty());
    EXPECT_EQ(core::read_file(target), "in progress\n");
    EXPECT_EQ(f.state.journal("Y").state, JournalState::renamed);
}

TEST(Deployment, RollbackPlanPutsBackWhatACommittedDeploymentReplaced) {
    Fixture f;
    f.dir.write("service/node.cert", "before\n");
    const DeploymentReport done = f.run(f.plan());
    ASSERT_EQ(done.outcome, DeploymentOutcome::deployed);
    const DeploymentPlan undo = plan_rollback(f.state.journal(done.id));
    ASSERT_EQ(undo.files.size(), 1U) << "the key did not exist before: left alone";
    EXPECT_EQ(f.run(undo).outcome, DeploymentOutcome::deployed);
    EXPECT_EQ(core::read_file(f.service + "/node.cert"), "before\n");
}

}  // namespace
}  // namespace certfleet::deploy
