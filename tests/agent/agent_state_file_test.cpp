#include "agent/agent_state_file.hpp"

#include "core/error.hpp"
#include "core/utc_time.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace certfleet::agent {
namespace {

TEST(AgentStateFile, WritesARecordAtomicallyAndReadsItBack) {
    const certfleet::testing::TempDir dir;
    const std::string state_dir = dir.path().string();
    EXPECT_FALSE(read_record(state_dir, "node1").has_value());
    const CertificateRecord written{.name = "node1",
                                    .state = TrackingState::needs_operator,
                                    .serial = "0a1b",
                                    .not_after = core::parse_time("2027-01-31T12:00:00Z", "t"),
                                    .next_renewal = core::parse_time("2026-10-01T00:00:00Z", "t"),
                                    .last_deployment = "20261201T010203Z-abcdef",
                                    .last_deployment_at = core::parse_time("2026-12-01T01:02:03Z", "t"),
                                    .last_outcome = "needs_operator",
                                    .detail = "the server presents a CA this node does not trust",
                                    .updated_at = core::parse_time("2026-12-01T02:00:00Z", "t"),
                                    .reenroll = true,
                                    .presented_root_sha256 = "AB:CD",
                                    .presented_root_subject = "CN=New Root"};
    write_record(state_dir, written);
    const std::string path = record_path(state_dir, "node1");
    EXPECT_EQ(path, (dir.path() / "agent" / "node1.json").string());
    EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
              std::filesystem::perms(0644));
    const std::optional<CertificateRecord> read = read_record(state_dir, "node1");
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(to_json(*read), to_json(written));
    EXPECT_EQ(read->state, TrackingState::needs_operator);
    EXPECT_EQ(read->not_after, written.not_after);
    EXPECT_TRUE(read->reenroll);

    CertificateRecord changed = *read;
    changed.state = TrackingState::needs_key;
    write_record(state_dir, changed);
    EXPECT_EQ(read_record(state_dir, "node1")->state, TrackingState::needs_key);
}

TEST(AgentStateFile, RefusesANameThatIsNotAFileName) {
    for (const char* name : {"", ".", "..", "../x", "a/b", ".hidden"}) {
        EXPECT_THROW(static_cast<void>(record_path("/state", name)), core::Error) << name;
    }
}

TEST(AgentStateFile, NamesTheFileOfARecordItCannotRead) {
    try {
        static_cast<void>(parse_record("{\"name\": \"n\", \"state\": \"sleeping\"}", "agent/n.json"));
        FAIL() << "accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_NE(std::string(e.what()).find("agent/n.json: state"), std::string::npos) << e.what();
    }
    EXPECT_THROW(static_cast<void>(parse_record("[1, 2", "agent/n.json")), core::Error);
}

}  // namespace
}  // namespace certfleet::agent
