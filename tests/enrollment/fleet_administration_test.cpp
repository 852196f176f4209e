#include "enrollment/fleet_administration.hpp"

#include "core/error.hpp"
#include "enrollment/request_queue.hpp"
#include "enrollment_fixture.hpp"
#include "store/audit_log.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace certfleet::enrollment {
namespace {

using certfleet::testing::enrollment_now;
using core::Error;
using core::ErrorCode;

class FleetAdministration : public certfleet::testing::EnrollmentFixture {
protected:
    std::int64_t submit(const std::string& cn) {
        return submit_request(*m_store, *m_ca, csr("CN=" + cn, "DNS:" + cn), {}, enrollment_now).request.id;
    }
    static store::Actor alice() { return {.name = "admin:alice", .at = enrollment_now}; }

    static ErrorCode code_of(const std::function<void()>& call) {
        try {
            call();
        } catch (const Error& e) {
            return e.code();
        }
        ADD_FAILURE() << "no Error thrown";
        return ErrorCode::internal;
    }

    bool audited(const std::string& action) {
        const auto entries = m_store->read([](store::Transaction& tx) { return store::audit_log(tx, {}); });
        return std::any_of(entries.begin(), entries.end(), [&](const store::AuditEntry& e) {
            return e.action == action && e.actor == "admin:alice";
        });
    }
};

TEST_F(FleetAdministration, ListsPendingRequestsThenApprovesOneByNameAsTheActor) {
    const std::int64_t id = submit("node1.example.com");
    const api::RequestList pending = list_requests(*m_store, "main", false);
    ASSERT_EQ(pending.requests.size(), 1U);
    EXPECT_EQ(pending.requests[0].id, id);
    EXPECT_EQ(pending.requests[0].names, "DNS:node1.example.com");
    EXPECT_EQ(pending.requests[0].decided_at, "");

    const api::RequestList approved =
        approve_requests(*m_store, *m_ca, {.request = "node1.example.com"}, alice());
    ASSERT_EQ(approved.requests.size(), 1U);
    EXPECT_EQ(approved.requests[0].state, "issued");
    EXPECT_EQ(approved.requests[0].decided_by, "admin:alice");
    EXPECT_FALSE(approved.requests[0].serial.empty());
    EXPECT_FALSE(approved.requests[0].expires.empty());
    EXPECT_TRUE(audited("request.approve"));
    EXPECT_TRUE(list_requests(*m_store, "main", false).requests.empty());
    EXPECT_EQ(list_requests(*m_store, "main", true).requests.size(), 1U);
}

TEST_F(FleetAdministration, ApprovesEveryPendingRequestOrRefusesAnAmbiguousDecision) {
    submit("a.example.com");
    submit("b.example.com");
    EXPECT_EQ(code_of([&] { approve_requests(*m_store, *m_ca, {}, alice()); }), ErrorCode::invalid_input);
    EXPECT_EQ(code_of([&] {
                  approve_requests(*m_store, *m_ca, {.request = "a.example.com", .all = true}, alice());
              }),
              ErrorCode::invalid_input);
    EXPECT_EQ(code_of([&] { approve_requests(*m_store, *m_ca, {.request = "nosuch"}, alice()); }),
              ErrorCode::not_found);
    EXPECT_EQ(approve_requests(*m_store, *m_ca, {.all = true}, alice()).requests.size(), 2U);
    EXPECT_EQ(certificate_count(), 2U);
}

TEST_F(FleetAdministration, DeniesWithTheReason) {
    const std::int64_t id = submit("stray.example.com");
    const api::RequestSummary denied = deny_pending_request(
        *m_store, "main", {.request = std::to_string(id), .reason = "unknown host"}, alice());
    EXPECT_EQ(denied.state, "denied");
    EXPECT_EQ(denied.reason, "unknown host");
    EXPECT_TRUE(audited("request.deny"));
    EXPECT_EQ(
        code_of([&] { deny_pending_request(*m_store, "main", {.request = std::to_string(id)}, alice()); }),
        ErrorCode::conflict);
}

TEST_F(FleetAdministration, QueuesAnActionOnlyForAConnectedNode) {
    const api::NodeActionRequest renew{.node = "node1", .kind = "renew"};
    EXPECT_EQ(code_of([&] { queue_node_action(*m_store, "main", renew, alice()); }), ErrorCode::not_found);
    m_store->commit([](store::Transaction& tx) {
        store::record_poll(tx, "main", "node1", "0a", enrollment_now - std::chrono::hours(1));
    });
    EXPECT_EQ(code_of([&] { queue_node_action(*m_store, "main", renew, alice()); }), ErrorCode::unavailable);
    m_store->commit(
        [](store::Transaction& tx) { store::record_poll(tx, "main", "node1", "0a", enrollment_now); });
    EXPECT_EQ(
        code_of([&] { queue_node_action(*m_store, "main", {.node = "node1", .kind = "reboot"}, alice()); }),
        ErrorCode::invalid_input);

    const api::NodeActionStatus queued = queue_node_action(*m_store, "main", renew, alice());
    EXPECT_EQ(queued.state, "queued");
    EXPECT_TRUE(queued.is_open());
    EXPECT_EQ(node_action(*m_store, "main", queued.id).node, "node1");
    EXPECT_EQ(code_of([&] { node_action(*m_store, "main", queued.id + 100); }), ErrorCode::not_found);
    EXPECT_TRUE(audited("node.action.queue"));

    const api::NodeList nodes = list_nodes(*m_store, "main", enrollment_now);
    ASSERT_EQ(nodes.nodes.size(), 1U);
    EXPECT_TRUE(nodes.nodes[0].connected);
    EXPECT_EQ(nodes.nodes[0].client_serial, "0a");
}

TEST_F(FleetAdministration, GrantsATokenForTheNamesWithoutRepeats) {
    const api::TokenGrant grant = grant_token(
        *m_store, "main", {.names = {"node9.example.com", "node9.example.com", "IP:10.0.0.9"}}, alice());
    EXPECT_TRUE(grant.token.reveal().starts_with("cft_"));
    EXPECT_EQ(grant.id.size(), 12U);
    EXPECT_EQ(grant.names, (std::vector<std::string>{"DNS:node9.example.com", "IP:10.0.0.9"}));
    EXPECT_EQ(grant.profile, "peer");
    EXPECT_FALSE(grant.expires_at.empty());
    EXPECT_EQ(code_of([&] { grant_token(*m_store, "main", {.names = {"not a name!"}}, alice()); }),
              ErrorCode::invalid_input);
}

}  // namespace
}  // namespace certfleet::enrollment
