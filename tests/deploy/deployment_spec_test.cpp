#include "deploy/deployment_spec.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::deploy {
namespace {

TEST(DeploymentSpec, ReadsEveryField) {
    const DeploymentSpec spec = parse_deployment_spec(R"(
name: node1
certificate: {cert: node.pem, key: node.key, chain: chain.pem}
targets:
  - format: haproxy
    path: /etc/haproxy/certs/{name}.pem
    owner: root
    group: haproxy
    mode: "0640"
  - format: jks
    path: jks/node.jks
    password_file: /etc/certfleet/storepass
    alias: "{host}"
    keystore: replace
  - format: files
    files: {cert: /opt/cloudera/security/x509/node.cert, key: /opt/cloudera/security/x509/node.key}
on_change:
  - [systemctl, reload, haproxy]
  - command: [/usr/local/bin/notify, "{name}"]
    timeout: 2m
    environment: {LEVEL: info}
health_checks:
  - tls: 127.0.0.1:8443
    sni: node1.example.com
    match: sha256
    retries: 5
    interval: 2s
  - command: [curl, -fsS, https://localhost/]
    timeout: 5s
backup: {directory: /var/backups/certfleet, keep: 3, max_age: 30d}
)",
                                                      "spec.yaml",
                                                      "/etc/certfleet");
    EXPECT_EQ(spec.name, "node1");
    EXPECT_EQ(spec.source.cert, "/etc/certfleet/node.pem");
    ASSERT_EQ(spec.targets.size(), 3U);
    EXPECT_EQ(spec.targets[0].mode, 0640U);
    EXPECT_EQ(spec.targets[0].group, "haproxy");
    EXPECT_EQ(spec.targets[1].path, "/etc/certfleet/jks/node.jks");
    EXPECT_EQ(spec.targets[1].keystore, KeystoreUpdate::replace);
    EXPECT_EQ(spec.targets[2].files.at("key"), "/opt/cloudera/security/x509/node.key");
    ASSERT_EQ(spec.on_change.size(), 2U);
    EXPECT_EQ(spec.on_change[0].argv.size(), 3U);
    EXPECT_EQ(spec.on_change[1].timeout, core::Seconds(120));
    EXPECT_EQ(spec.on_change[1].environment.at("LEVEL"), "info");
    ASSERT_EQ(spec.health_checks.size(), 2U);
    EXPECT_EQ(spec.health_checks[0].match, "sha256");
    EXPECT_EQ(spec.health_checks[0].retries, 5U);
    EXPECT_EQ(spec.health_checks[1].timeout, core::Seconds(5));
    EXPECT_EQ(spec.backup_directory, "/var/backups/certfleet");
    EXPECT_EQ(spec.retention.keep, 3U);
}

TEST(DeploymentSpec, RefusesMistakesNamingTheField) {
    const std::pair<const char*, const char*> rows[] = {
        {"certificate: {cert: a}\ntargets: [{format: haproxy, path: /x, mdoe: '0600'}]",
         "targets[0]: unknown field \"mdoe\""},
        {"certificate: {cert: a}\ntargets: [{format: zip, path: /x}]", "targets[0].format"},
        {"certificate: {cert: a}\ntargets: [{format: haproxy}]", "targets[0].path"},
        {"certificate: {cert: a}\ntargets: [{format: haproxy, path: /x, mode: '0999'}]", "targets[0].mode"},
        {"certificate: {cert: a}\ntargets: [{format: files, files: {cert: a, crt: b}}]",
         "unknown piece \"crt\""},
        {"certificate: {cert: a}\ntargets: [{format: haproxy, path: /x, keystore: keep}]",
         "targets[0].keystore"},
        {"certificate: {cert: a}\ntargets: []", "targets"},
        {"targets: [{format: haproxy, path: /x}]", "certificate: missing"},
        {"certificate: {cert: a, from: b}\ntargets: [{format: haproxy, path: /x}]", "either cert"},
        {"certificate: {cert: a}\ntargets: [{format: haproxy, path: /x}]\non_change: ['systemctl reload "
         "haproxy']",
         "on_change[0]"},
        {"certificate: {cert: a}\ntargets: [{format: haproxy, path: /x}]\nhealth_checks: [{tls: a:1, match: "
         "md5}]",
         "health_checks[0].match"},
        {"certificate: {cert: a}\ntargets: [{format: haproxy, path: /x}]\nhealth_checks: [{retries: 2}]",
         "health_checks[0]"},
        {"certificate: [", "not valid YAML"},
    };
    for (const auto& [yaml, expected] : rows) {
        try {
            static_cast<void>(parse_deployment_spec(yaml, "spec.yaml", "/etc"));
            ADD_FAILURE() << yaml;
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find("spec.yaml"), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace certfleet::deploy
