#include "agent/agent_config.hpp"

#include "core/error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::agent {
namespace {

using ::testing::HasSubstr;

std::string error_of(const std::string& yaml) {
    try {
        (void)parse_agent_config(yaml, "agent.yaml", "/etc/certfleet");
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        return e.what();
    }
    return "accepted";
}

TEST(AgentConfig, ReadsTheTrackedCertificatesWithPathsFromTheConfigsDirectory) {
    const AgentConfig config = parse_agent_config(R"(
server: https://ca.example.com:8443
ca_file: root.pem
certificates:
  - {name: edge, deploy: edge.yaml, renew_before: 30d}
  - {name: kudu, deploy: /etc/kudu/certfleet.yaml, key_type: rsa:2048}
)",
                                                  "agent.yaml",
                                                  "/etc/certfleet");
    EXPECT_EQ(config.server, "https://ca.example.com:8443");
    EXPECT_EQ(config.ca_file, "/etc/certfleet/root.pem");
    ASSERT_EQ(config.certificates.size(), 2U);
    EXPECT_EQ(config.certificates[0].deploy_spec, "/etc/certfleet/edge.yaml");
    EXPECT_EQ(config.certificates[0].renew_before, std::chrono::seconds(30 * 86400));
    EXPECT_EQ(config.certificates[1].deploy_spec, "/etc/kudu/certfleet.yaml");
    EXPECT_EQ(config.certificates[1].key_type, "rsa:2048");
}

TEST(AgentConfig, NamesTheFieldItRefuses) {
    EXPECT_THAT(error_of("certificates: [{name: a, deploy: a.yaml}]"),
                HasSubstr("agent.yaml: server: missing"));
    EXPECT_THAT(error_of("server: https://x\n"), HasSubstr("certificates: expected a list"));
    EXPECT_THAT(error_of("server: https://x\nsevrer: y\ncertificates: [{name: a, deploy: a.yaml}]"),
                HasSubstr("unknown field \"sevrer\""));
    EXPECT_THAT(error_of("server: https://x\ncertificates: [{name: a, deploy: a.yaml, renew_before: soon}]"),
                HasSubstr("certificates[0].renew_before"));
    EXPECT_THAT(error_of("server: https://x\ncertificates: [{name: a, deploy: a.yaml, key_type: dsa}]"),
                HasSubstr("certificates[0].key_type"));
    EXPECT_THAT(
        error_of("server: https://x\ncertificates: [{name: a, deploy: a.yaml}, {name: a, deploy: b.yaml}]"),
        HasSubstr("\"a\" is listed twice"));
    EXPECT_THAT(error_of("server: [unclosed"), HasSubstr("agent.yaml: not valid YAML"));
}

TEST(AgentConfig, ReadsTheBootstrapTokenFileAndTheNamesToEnrollWith) {
    const AgentConfig config = parse_agent_config(R"(
server: https://ca.example.com:8443
bootstrap: {token_file: node1.token}
certificates:
  - {name: edge, deploy: edge.yaml, subject: CN=node1.example.com, sans: ["DNS:node1.example.com", "IP:10.0.0.1"]}
)",
                                                  "agent.yaml",
                                                  "/etc/certfleet");
    ASSERT_TRUE(config.bootstrap.has_value());
    EXPECT_EQ(config.bootstrap->token_file, "/etc/certfleet/node1.token");
    EXPECT_EQ(config.certificates[0].subject, "CN=node1.example.com");
    EXPECT_EQ(config.certificates[0].sans,
              (std::vector<std::string>{"DNS:node1.example.com", "IP:10.0.0.1"}));
    EXPECT_FALSE(parse_agent_config("server: https://x\ncertificates: [{name: a, deploy: a.yaml}]", "a", "/")
                     .bootstrap.has_value());
    EXPECT_THAT(
        error_of("server: https://x\nbootstrap: {token: x}\ncertificates: [{name: a, deploy: a.yaml}]"),
        HasSubstr("unknown field \"token\""));
    EXPECT_THAT(
        error_of("server: https://x\ncertificates: [{name: a, deploy: a.yaml, sans: [\"DNS:bad name\"]}]"),
        HasSubstr("certificates[0].sans[0]"));
}

TEST(AgentConfig, ReadsTheNodesOwnOperationsByName) {
    const AgentConfig config = parse_agent_config(R"(
server: https://ca.example.com:8443
operation_timeout: 2m
operations:
  restart-kudu: [systemctl, restart, kudu-tserver]
  touch_marker.v2: [touch, /tmp/marker]
certificates: [{name: a, deploy: a.yaml}]
)",
                                                  "agent.yaml",
                                                  "/etc/certfleet");
    ASSERT_EQ(config.operations.size(), 2U);
    EXPECT_EQ(config.operations.at("restart-kudu"),
              (std::vector<std::string>{"systemctl", "restart", "kudu-tserver"}));
    EXPECT_EQ(config.operations.at("touch_marker.v2"), (std::vector<std::string>{"touch", "/tmp/marker"}));
    EXPECT_EQ(config.operation_timeout, std::chrono::seconds(120));
    const AgentConfig none =
        parse_agent_config("server: https://x\ncertificates: [{name: a, deploy: a.yaml}]", "a", "/");
    EXPECT_TRUE(none.operations.empty());
    EXPECT_EQ(none.operation_timeout, std::chrono::seconds(300));
}

TEST(AgentConfig, RefusesAnOperationThatIsNotANameMappedToACommand) {
    const std::string head = "server: https://x\ncertificates: [{name: a, deploy: a.yaml}]\n";
    EXPECT_THAT(error_of(head + "operations: {Restart: [true]}"),
                HasSubstr("agent.yaml: operations: \"Restart\" is not an operation name"));
    EXPECT_THAT(error_of(head + "operations: {-x: [true]}"), HasSubstr("\"-x\" is not an operation name"));
    EXPECT_THAT(error_of(head + "operations: {\"a b\": [true]}"),
                HasSubstr("\"a b\" is not an operation name"));
    EXPECT_THAT(error_of(head + "operations: {restart: []}"),
                HasSubstr("agent.yaml: operations.restart: expected a non-empty list"));
    EXPECT_THAT(error_of(head + "operations: {restart: systemctl restart kudu}"),
                HasSubstr("operations.restart: expected a non-empty list"));
    EXPECT_THAT(error_of(head + "operations: {restart: [[a], b]}"), HasSubstr("operations.restart[0]"));
    EXPECT_THAT(error_of(head + "operations: {restart: [\"\"]}"),
                HasSubstr("operations.restart[0]: the command is empty"));
    EXPECT_THAT(error_of(head + "operations: [restart]"),
                HasSubstr("agent.yaml: operations: expected a map"));
    EXPECT_THAT(error_of(head + "operation_timeout: 0s"), HasSubstr("operation_timeout"));
}

TEST(AgentConfig, ReadsThePendingRequestBootstrapAndRefusesBothOrNeither) {
    const AgentConfig config = parse_agent_config(
        "server: https://x\nbootstrap: {pending_request: true}\ncertificates: [{name: a, deploy: "
        "a.yaml}]",
        "a",
        "/");
    ASSERT_TRUE(config.bootstrap.has_value());
    EXPECT_EQ(config.bootstrap->method, BootstrapMethod::pending_request);
    EXPECT_TRUE(config.bootstrap->token_file.empty());
    EXPECT_EQ(parse_agent_config(
                  "server: https://x\nbootstrap: {token_file: t}\ncertificates: [{name: a, deploy: a.yaml}]",
                  "a",
                  "/")
                  .bootstrap->method,
              BootstrapMethod::token_file);
    EXPECT_THAT(
        error_of(
            "server: https://x\nbootstrap: {token_file: t, pending_request: true}\ncertificates: [{name: "
            "a, deploy: a.yaml}]"),
        HasSubstr("agent.yaml: bootstrap: give one of token_file"));
    EXPECT_THAT(
        error_of("server: https://x\nbootstrap: {pending_request: false}\ncertificates: [{name: a, deploy: "
                 "a.yaml}]"),
        HasSubstr("agent.yaml: bootstrap: give one of token_file"));
    EXPECT_THAT(
        error_of("server: https://x\nbootstrap: {pending_request: yes}\ncertificates: [{name: a, deploy: "
                 "a.yaml}]"),
        HasSubstr("bootstrap.pending_request: \"yes\" is not true or false"));
}

}  // namespace
}  // namespace certfleet::agent
