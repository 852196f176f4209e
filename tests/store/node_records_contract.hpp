#pragma once
// The node and action records on both back ends (instantiated in sqlite_store_test.cpp and
// postgres_store_pgtest.cpp). Every test uses a fresh authority, so it also runs on a shared database.

#include "store/node_records.hpp"
#include "store_contract.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>

namespace certfleet::store {

class NodeRecordsContract : public StoreContract {
protected:
    NodeActionRecord queue(const std::string& node, const std::string& argument = "") {
        NodeActionRecord action{.authority = m_authority,
                                .node = node,
                                .kind = "renew",
                                .argument = argument,
                                .requested_by = "cli:test",
                                .created_at = at(1'700'000'000)};
        m_store->commit([&](Transaction& tx) { insert_node_action(tx, action); });
        return action;
    }
};

TEST_P(NodeRecordsContract, APollCreatesTheNodeAndACheckInKeepsItsReportAndPollTime) {
    m_store->commit([&](Transaction& tx) { record_poll(tx, m_authority, "edge1", "0a", at(1'700'000'100)); });
    m_store->commit([&](Transaction& tx) {
        record_checkin(tx,
                       {.authority = m_authority,
                        .name = "edge1",
                        .serial = "0b",
                        .agent_version = "0.1.0",
                        .report = R"({"certificates":[]})",
                        .last_checkin_at = at(1'700'000'200)});
    });
    const auto node = m_store->read([&](Transaction& tx) { return find_node(tx, m_authority, "edge1"); });
    ASSERT_TRUE(node.has_value());
    EXPECT_EQ(node->serial, "0b");
    EXPECT_EQ(node->agent_version, "0.1.0");
    EXPECT_EQ(node->report, R"({"certificates":[]})");
    EXPECT_EQ(node->last_checkin_at, at(1'700'000'200));
    EXPECT_EQ(node->last_poll_at, at(1'700'000'100));  // a check-in does not count as a poll
    EXPECT_FALSE(m_store->read([&](Transaction& tx) { return find_node(tx, m_authority, "edge2"); }));
    EXPECT_EQ(m_store->read([&](Transaction& tx) { return list_nodes(tx, m_authority); }).size(), 1U);
}

TEST_P(NodeRecordsContract, ActionsAreDeliveredToTheirNodeUntilFinished) {
    const NodeActionRecord first = queue("edge1", "web");
    const NodeActionRecord other = queue("edge2");
    EXPECT_GT(first.id, 0);
    EXPECT_EQ(m_store->read([&](Transaction& tx) { return nodes_with_queued_actions(tx, m_authority); }),
              (std::vector<std::string>{"edge1", "edge2"}));
    std::vector<NodeActionRecord> delivered;
    m_store->commit([&](Transaction& tx) {
        delivered = deliver_node_actions(tx, m_authority, "edge1", at(1'700'000'300));
    });
    ASSERT_EQ(delivered.size(), 1U);
    EXPECT_EQ(delivered[0].id, first.id);
    EXPECT_EQ(delivered[0].argument, "web");
    EXPECT_EQ(delivered[0].state, "delivered");
    EXPECT_EQ(m_store->read([&](Transaction& tx) { return nodes_with_queued_actions(tx, m_authority); }),
              (std::vector<std::string>{"edge2"}));
    // Not finished: given again on the next poll (at least once; the id makes it idempotent).
    m_store->commit([&](Transaction& tx) {
        delivered = deliver_node_actions(tx, m_authority, "edge1", at(1'700'000'400));
    });
    ASSERT_EQ(delivered.size(), 1U);
    m_store->commit([&](Transaction& tx) {
        finish_node_action(tx, m_authority, "edge1", first.id, "succeeded", "renewed", at(1'700'000'500));
    });
    m_store->commit([&](Transaction& tx) {  // the same report again: a retry, accepted
        finish_node_action(tx, m_authority, "edge1", first.id, "succeeded", "renewed", at(1'700'000'501));
    });
    const auto done =
        m_store->read([&](Transaction& tx) { return find_node_action(tx, m_authority, first.id); });
    ASSERT_TRUE(done.has_value());
    EXPECT_EQ(done->state, "succeeded");
    EXPECT_EQ(done->result, "renewed");
    EXPECT_EQ(done->finished_at, at(1'700'000'500));
    m_store->commit([&](Transaction& tx) {
        delivered = deliver_node_actions(tx, m_authority, "edge1", at(1'700'000'600));
    });
    EXPECT_TRUE(delivered.empty());
}

TEST_P(NodeRecordsContract, ANodeCannotFinishAnotherNodesActionOrChangeAnEndedOne) {
    const NodeActionRecord action = queue("edge1");
    const auto code_of = [&](const std::string& node, const std::string& state) {
        try {
            m_store->commit([&](Transaction& tx) {
                finish_node_action(tx, m_authority, node, action.id, state, "", at(1'700'000'700));
            });
        } catch (const core::Error& e) {
            return e.code();
        }
        return core::ErrorCode::internal;  // accepted: not what these cases expect
    };
    EXPECT_EQ(code_of("edge2", "succeeded"), core::ErrorCode::not_found);
    m_store->commit([&](Transaction& tx) {
        finish_node_action(tx, m_authority, "edge1", action.id, "failed", "hook", at(1'700'000'700));
    });
    EXPECT_EQ(code_of("edge1", "succeeded"), core::ErrorCode::conflict);
}

// A replica holding a node's poll hears of an action another process queued when (and only when) its
// unit commits: PostgreSQL LISTEN/NOTIFY. SQLite has no listener (its one server polls the table).
TEST_P(NodeRecordsContract, AQueuedActionIsAnnouncedWhenItsUnitCommitsAndNotIfItRollsBack) {
    const std::unique_ptr<NotificationListener> listener = m_store->listen(std::string(node_action_channel));
    if (m_store->dialect() == SqlDialect::sqlite) {
        EXPECT_EQ(listener, nullptr);
        return;
    }
    ASSERT_NE(listener, nullptr);
    // Collects this authority's notices for up to `limit` (other tests share the database and channel).
    const auto heard = [&](std::chrono::milliseconds limit) {
        std::vector<std::string> nodes;
        const auto until = std::chrono::steady_clock::now() + limit;
        while (nodes.empty() && std::chrono::steady_clock::now() < until) {
            const auto notices = listener->wait(std::chrono::milliseconds(100));
            EXPECT_TRUE(notices.has_value()) << "the listening connection was lost";
            for (const std::string& notice : notices.value_or(std::vector<std::string>{})) {
                if (auto node = node_of_action_notice(notice, m_authority)) {
                    nodes.push_back(*node);
                }
            }
        }
        return nodes;
    };
    EXPECT_THROW(m_store->commit([&](Transaction& tx) {
        NodeActionRecord action{.authority = m_authority,
                                .node = "rolled-back",
                                .kind = "renew",
                                .requested_by = "cli:test",
                                .created_at = at(1'700'000'000)};
        insert_node_action(tx, action);
        throw core::Error(core::ErrorCode::conflict, "the unit fails after queuing");
    }),
                 core::Error);
    EXPECT_TRUE(heard(std::chrono::milliseconds(300)).empty());
    static_cast<void>(queue("edge 1/with:odd name"));
    EXPECT_EQ(heard(std::chrono::seconds(5)), std::vector<std::string>{"edge 1/with:odd name"});
}

TEST_P(NodeRecordsContract, AnOperationTheNodeDoesNotDefineEndsRefused) {
    NodeActionRecord action{.authority = m_authority,
                            .node = "edge1",
                            .kind = "operation",
                            .argument = "restart-kudu",
                            .requested_by = "cli:test",
                            .created_at = at(1'700'000'000)};
    m_store->commit([&](Transaction& tx) { insert_node_action(tx, action); });
    m_store->commit([&](Transaction& tx) {
        static_cast<void>(deliver_node_actions(tx, m_authority, "edge1", at(1'700'000'100)));
        finish_node_action(
            tx, m_authority, "edge1", action.id, "refused", "no operation restart-kudu", at(1'700'000'200));
    });
    const auto done =
        m_store->read([&](Transaction& tx) { return find_node_action(tx, m_authority, action.id); });
    ASSERT_TRUE(done.has_value());
    EXPECT_EQ(done->kind, "operation");
    EXPECT_EQ(done->argument, "restart-kudu");
    EXPECT_EQ(done->state, "refused");
}

}  // namespace certfleet::store
