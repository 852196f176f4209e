#include "server/admin_operations.hpp"

#include <gtest/gtest.h>

namespace certfleet::server {
namespace {

using store::AdminRole;

TEST(AdminOperations, AReaderReadsListsAndActionsOnly) {
    EXPECT_TRUE(may(AdminRole::reader, AdminOperation::list_requests));
    EXPECT_TRUE(may(AdminRole::reader, AdminOperation::list_nodes));
    EXPECT_TRUE(may(AdminRole::reader, AdminOperation::read_node_action));
    EXPECT_FALSE(may(AdminRole::reader, AdminOperation::approve_requests));
    EXPECT_FALSE(may(AdminRole::reader, AdminOperation::deny_requests));
    EXPECT_FALSE(may(AdminRole::reader, AdminOperation::queue_node_action));
    EXPECT_FALSE(may(AdminRole::reader, AdminOperation::create_token));
}

TEST(AdminOperations, AnOperatorDecidesRequestsAndQueuesActionsButMakesNoTokens) {
    EXPECT_TRUE(may(AdminRole::operator_, AdminOperation::list_requests));
    EXPECT_TRUE(may(AdminRole::operator_, AdminOperation::approve_requests));
    EXPECT_TRUE(may(AdminRole::operator_, AdminOperation::deny_requests));
    EXPECT_TRUE(may(AdminRole::operator_, AdminOperation::queue_node_action));
    EXPECT_FALSE(may(AdminRole::operator_, AdminOperation::create_token));
}

TEST(AdminOperations, AnAdminMayDoEverything) {
    for (const AdminOperation operation : {AdminOperation::list_requests,
                                           AdminOperation::approve_requests,
                                           AdminOperation::deny_requests,
                                           AdminOperation::list_nodes,
                                           AdminOperation::queue_node_action,
                                           AdminOperation::read_node_action,
                                           AdminOperation::create_token}) {
        EXPECT_TRUE(may(AdminRole::admin, operation));
        EXPECT_FALSE(permission_for(operation).action.empty());
    }
}

TEST(AdminOperations, ARefusalNamesWhatWasAsked) {
    EXPECT_EQ(permission_for(AdminOperation::create_token).action, "create enrollment tokens");
    EXPECT_EQ(permission_for(AdminOperation::approve_requests).role, AdminRole::operator_);
}

}  // namespace
}  // namespace certfleet::server
