#include "deploy/deployment_plan.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"
#include "formats/fixtures.hpp"
#include "formats/jks_keystore.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

namespace certfleet::deploy {
namespace {

using formats::testing::server_bundle;

DeploymentPlan plan_one(const formats::CertifiedKey& bundle, TargetSpec target) {
    return build_plan({{&bundle, std::move(target), {{"name", "node1"}, {"host", "edge1"}}, "targets[0]"}},
                      {});
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const core::Error& e) {
        return e.what();
    }
    return "no error";
}

TEST(DeploymentPlan, ExpandsTemplatesAndRefusesUnknownVariables) {
    const std::map<std::string, std::string> vars{{"name", "node1"}, {"host", "edge1"}};
    const std::pair<const char*, const char*> rows[] = {
        {"/etc/{name}.pem", "/etc/node1.pem"},
        {"{host}/{name}/{name}", "edge1/node1/node1"},
        {"plain", "plain"},
    };
    for (const auto& [text, expanded] : rows) {
        EXPECT_EQ(expand_template(text, vars, "f"), expanded);
    }
    EXPECT_NE(error_of([&] {
                  expand_template("/etc/{nmae}.pem", vars, "targets[2].path");
              }).find("targets[2].path"),
              std::string::npos);
    EXPECT_THROW(expand_template("/etc/{name", vars, "f"), core::Error);
}

TEST(DeploymentPlan, DecidesCreateReplaceOrUnchangedPerFile) {
    const testing::TempDir dir;
    const formats::CertifiedKey bundle = server_bundle();
    const TargetSpec files{.format = "files",
                           .files = {{"cert", dir.file("node.cert")}, {"key", dir.file("node.key")}}};

    DeploymentPlan first = plan_one(bundle, files);
    ASSERT_EQ(first.files.size(), 2U);
    EXPECT_EQ(first.files[0].action, FileAction::create);
    EXPECT_EQ(first.files[0].ownership.mode, 0644U);  // a certificate
    EXPECT_EQ(first.files[1].ownership.mode, 0600U);  // a key
    EXPECT_EQ(first.files[0].ownership.owner, ::geteuid());
    EXPECT_TRUE(first.changes_anything());

    dir.write("node.cert", first.files[0].file.bytes);
    dir.write("node.key", "an old key\n");
    ::chmod(dir.file("node.cert").c_str(), 0644);
    ::chmod(dir.file("node.key").c_str(), 0440);
    DeploymentPlan second = plan_one(bundle, files);
    EXPECT_EQ(second.files[0].action, FileAction::unchanged);
    EXPECT_EQ(second.files[1].action, FileAction::replace);
    EXPECT_EQ(second.files[1].ownership.mode, 0440U) << "an existing target keeps its mode";

    TargetSpec with_mode = files;
    with_mode.mode = 0640;
    DeploymentPlan third = plan_one(bundle, with_mode);
    EXPECT_EQ(third.files[0].action, FileAction::replace) << "same bytes, other mode: replaced";
    EXPECT_EQ(third.files[0].ownership.mode, 0640U);
}

TEST(DeploymentPlan, KeepsTheOwnerAndGroupOfAnExistingTarget) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "chown needs root (CI runs as root)";
    }
    const testing::TempDir dir;
    const std::string path = dir.write("site.pem", "old\n");
    ASSERT_EQ(::chown(path.c_str(), 0, 1), 0);
    ::chmod(path.c_str(), 0440);
    const DeploymentPlan plan = plan_one(server_bundle(), {.format = "haproxy", .path = path});
    ASSERT_EQ(plan.files.size(), 1U);
    EXPECT_EQ(plan.files[0].action, FileAction::replace);
    EXPECT_EQ(plan.files[0].ownership, (FileOwnership{.owner = 0, .group = 1, .mode = 0440}));
}

TEST(DeploymentPlan, MergesIntoAnExistingKeystoreKeepingItsOtherEntries) {
    const testing::TempDir dir;
    const std::string path =
        dir.write("node.jks", certfleet::testing::read_fixture("formats/keytool_ec.jks"));
    const std::string pw = dir.write("pw", "changeit\n");
    const formats::CertifiedKey bundle = server_bundle();
    const DeploymentPlan plan =
        plan_one(bundle, {.format = "jks", .path = path, .password_file = pw, .alias = "{host}"});
    ASSERT_EQ(plan.files.size(), 1U);
    EXPECT_EQ(plan.files[0].action, FileAction::replace);
    const formats::JksKeystore merged =
        formats::JksKeystore::read(plan.files[0].file.bytes, "merged", core::Secret("changeit"));
    EXPECT_NE(merged.find("node1"), nullptr) << "the other key entry is kept";
    EXPECT_NE(merged.find("root"), nullptr) << "the trusted entry is kept";
    EXPECT_NE(merged.find("edge1"), nullptr) << "the new entry is under the expanded alias";

    dir.write("node.jks", plan.files[0].file.bytes);
    const DeploymentPlan again =
        plan_one(bundle, {.format = "jks", .path = path, .password_file = pw, .alias = "{host}"});
    EXPECT_EQ(again.files[0].action, FileAction::unchanged) << "fresh salts are not a change";
}

TEST(DeploymentPlan, RefusesWhatCannotBeDeployedBeforeTouchingAnything) {
    const testing::TempDir dir;
    const std::string jks = dir.write("node.jks", certfleet::testing::read_fixture("formats/keytool_ec.jks"));
    const std::string wrong = dir.write("wrong", "not-the-password\n");
    const formats::CertifiedKey bundle = server_bundle();
    struct Row {
        TargetSpec target;
        const char* message;
    };
    const Row rows[] = {
        {{.format = "jks", .path = jks, .password_file = wrong}, "wrong keystore password"},
        {{.format = "haproxy", .path = dir.file("missing/site.pem")}, "does not exist"},
        {{.format = "haproxy", .path = dir.file("site.pem"), .owner = "no-such-user-here"}, "no user"},
        {{.format = "haproxy", .path = dir.file("site.pem"), .group = "no-such-group-here"}, "no group"},
        {{.format = "jks", .path = dir.file("n.jks")}, "password"},
        {{.format = "files", .files = {{"cert", dir.file("a.pem")}, {"chain", dir.file("a.pem")}}},
         "written by two"},
    };
    for (const Row& row : rows) {
        const std::string message = error_of([&] { plan_one(bundle, row.target); });
        EXPECT_NE(message.find(row.message), std::string::npos) << message;
        EXPECT_NE(message.find("targets[0]"), std::string::npos) << message;
    }
    EXPECT_EQ(core::read_file(jks), certfleet::testing::read_fixture("formats/keytool_ec.jks"));
}

}  // namespace
}  // namespace certfleet::deploy
