#include "agent/pending_request.hpp"

#include "agent/agent_state_file.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace certfleet::agent {
namespace {

TEST(PendingRequest, TheKeyIsMadeOnceKept0600AndReusedUntilForgotten) {
    const certfleet::testing::TempDir dir;
    const std::string state_dir = dir.path().string();
    const TrackedCertificate tracked{.name = "node1", .deploy_spec = "node1.yaml", .subject = "CN=node1"};
    EXPECT_FALSE(has_pending_request_key(state_dir, "node1"));
    const pki::PrivateKey first = pending_request_key(state_dir, tracked);
    const std::string path = pending_key_path(state_dir, "node1");
    EXPECT_EQ(path, (dir.path() / "agent" / "node1.key").string());
    EXPECT_EQ(std::filesystem::status(path).permissions() & std::filesystem::perms::all,
              std::filesystem::perms(0600));
    const pki::PrivateKey again = pending_request_key(state_dir, tracked);
    EXPECT_EQ(again.to_pkcs8_pem(), first.to_pkcs8_pem());
    forget_pending_request_key(state_dir, "node1");
    EXPECT_FALSE(has_pending_request_key(state_dir, "node1"));
    EXPECT_NE(pending_request_key(state_dir, tracked).to_pkcs8_pem(), first.to_pkcs8_pem());
}

TEST(PendingRequest, TheRequestIdIsPersistedWithTheState) {
    const certfleet::testing::TempDir dir;
    write_record(dir.path().string(),
                 {.name = "node1", .state = TrackingState::pending_at_ca, .pending_request = "42"});
    const std::optional<CertificateRecord> read = read_record(dir.path().string(), "node1");
    ASSERT_TRUE(read.has_value());
    EXPECT_EQ(read->state, TrackingState::pending_at_ca);
    EXPECT_EQ(read->pending_request, "42");
}

}  // namespace
}  // namespace certfleet::agent
