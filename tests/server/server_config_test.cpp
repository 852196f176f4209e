#include "server/server_config.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::server {
namespace {

std::string error_of(std::string_view yaml) {
    try {
        parse_server_config(yaml, "server.yaml");
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        return e.what();
    }
    return "no error";
}

TEST(ServerConfig, ReadsEverySection) {
    const ServerConfig config = parse_server_config(R"(
listen: 0.0.0.0:9443
store: postgresql://ca@db:5432/certfleet
authority: main
passphrase_file: /run/credentials/ca-passphrase
min_agent_version: 0.2.0
tls: {names: ["DNS:ca.example.com", "IP:10.0.0.5"], directory: /var/lib/certfleet/tls, validity: 30d}
crl: {validity: 2d}
limits: {max_body_bytes: 65536, read_timeout: 5s, idle_timeout: 2m, workers: 4, queue_limit: 16}
)",
                                                    "server.yaml");
    EXPECT_EQ(config.listen_host, "0.0.0.0");
    EXPECT_EQ(config.listen_port, 9443);
    EXPECT_EQ(config.tls_names.size(), 2U);
    EXPECT_EQ(config.tls_validity, core::Seconds(30 * 86400));
    EXPECT_EQ(config.crl_validity, core::Seconds(2 * 86400));
    EXPECT_EQ(config.limits.max_body_bytes, 65536U);
    EXPECT_EQ(config.limits.read_timeout, std::chrono::seconds(5));
    EXPECT_EQ(config.limits.idle_timeout, std::chrono::minutes(2));
    EXPECT_EQ(config.limits.workers, 4U);
    EXPECT_EQ(config.limits.min_agent_version, (api::Version{0, 2, 0}));
}

TEST(ServerConfig, AnEmptyFileMeansEveryDefault) {
    const ServerConfig config = parse_server_config("", "server.yaml");
    EXPECT_EQ(config.listen_host, "127.0.0.1");
    EXPECT_EQ(config.listen_port, 8443);
}

TEST(ServerConfig, NamesTheKeyAtFault) {
    EXPECT_EQ(error_of("listne: 1.2.3.4:5"), "server.yaml: unknown key \"listne\"");
    EXPECT_EQ(error_of("limits: {workers: -1}"),
              "server.yaml.limits.workers: \"-1\" is not a positive number");
    EXPECT_EQ(error_of("listen: localhost"), "server.yaml.listen: \"localhost\" is not HOST:PORT");
    EXPECT_EQ(error_of("listen: h:99999"), "server.yaml.listen: \"99999\" is not a port number");
    EXPECT_EQ(error_of("tls: {names: DNS:x}"), "server.yaml.tls.names: expected a list");
    EXPECT_EQ(error_of("log_level: loud"),
              "server.yaml.log_level: \"loud\" is not debug, info, warn or error");
}

TEST(ServerConfig, ReadsTheAcmeSection) {
    const ServerConfig config = parse_server_config(R"(
acme:
  external_url: https://ca.example.com:8443/
  order_lifetime: 2h
  authorization_lifetime: 1h
  nonce_lifetime: 1m
  validation_workers: 4
  http01: {port: 5002, timeout: 3s, max_body_bytes: 1024}
  resolve: {"*.test": 127.0.0.1, "node1.example.com": "::1"}
  external_account_required: true
  eab_keys_file: /etc/certfleet/acme-eab.keys
)",
                                                    "server.yaml");
    const AcmeConfig& acme = config.acme;
    EXPECT_EQ(acme.external_url, "https://ca.example.com:8443");  // the trailing '/' dropped
    EXPECT_EQ(acme.order_lifetime, core::Seconds(7200));
    EXPECT_EQ(acme.authorization_lifetime, core::Seconds(3600));
    EXPECT_EQ(acme.nonce_lifetime, core::Seconds(60));
    EXPECT_EQ(acme.validation_workers, 4U);
    EXPECT_EQ(acme.http01.port, 5002);
    EXPECT_EQ(acme.http01.timeout, core::Seconds(3));
    EXPECT_EQ(acme.http01.max_body_bytes, 1024U);
    EXPECT_EQ(acme.http01.resolve.at("*.test"), "127.0.0.1");
    EXPECT_EQ(acme.http01.resolve.at("node1.example.com"), "::1");
    EXPECT_TRUE(acme.external_account_required);
    EXPECT_EQ(acme.eab_keys_file, "/etc/certfleet/acme-eab.keys");
    const ServerConfig defaults = parse_server_config("", "server.yaml");
    EXPECT_EQ(defaults.acme.http01.port, 80);  // RFC 8555 8.3
    EXPECT_TRUE(defaults.acme.external_url.empty());
    EXPECT_FALSE(defaults.acme.external_account_required);
}

TEST(ServerConfig, NamesTheAcmeKeyAtFault) {
    EXPECT_EQ(error_of("acme: {http01: {prot: 80}}"), "server.yaml.acme.http01: unknown key \"prot\"");
    EXPECT_EQ(error_of("acme: {http01: {port: 70000}}"),
              "server.yaml.acme.http01.port: 70000 is not a port number");
    EXPECT_EQ(error_of("acme: {external_url: http://ca:80}"),
              "server.yaml.acme.external_url: \"http://ca:80\" is not an https:// URL");
    EXPECT_EQ(error_of("acme: {resolve: {\"*.test\": nowhere}}"),
              "server.yaml.acme.resolve: \"nowhere\" for \"*.test\" is not an IP address");
    EXPECT_EQ(error_of("acme: {resolve: [a]}"), "server.yaml.acme.resolve: expected a mapping");
    EXPECT_EQ(error_of("acme: {external_account_required: yes}"),
              "server.yaml.acme.external_account_required: expected true or false");
    EXPECT_EQ(error_of("acme: {external_account_required: true}"),
              "server.yaml.acme.external_account_required: true needs acme.eab_keys_file (the \"KID "
              "HMAC_KEY\" lines of the keys handed out)");
}

TEST(ServerConfig, ParsesListenAddressesWithIpv6Brackets) {
    std::string host;
    unsigned short port = 0;
    parse_listen_address("[::1]:8443", "--listen", host, port);
    EXPECT_EQ(host, "::1");
    EXPECT_EQ(port, 8443);
}

}  // namespace
}  // namespace certfleet::server

namespace certfleet::server {
namespace {

TEST(ServerConfig, ReadsTheRequestQueueAndAutosignSections) {
    const ServerConfig config = parse_server_config(R"(
requests: {profile: server}
autosign:
  globs: ["*.nodes.example.com", "web-??.example.com"]
  challenge_file: /etc/certfleet/autosign.challenge
  policy_executable: /usr/local/bin/policy
  policy_timeout: 3s
)",
                                                    "server.yaml");
    EXPECT_EQ(config.requests.profile, "server");
    EXPECT_EQ(config.requests.autosign_globs,
              (std::vector<std::string>{"*.nodes.example.com", "web-??.example.com"}));
    EXPECT_EQ(config.requests.autosign_challenge_file, "/etc/certfleet/autosign.challenge");
    EXPECT_EQ(config.requests.autosign_policy_executable, "/usr/local/bin/policy");
    EXPECT_EQ(config.requests.autosign_policy_timeout.count(), 3);
    const ServerConfig defaults = parse_server_config("listen: 127.0.0.1:8443\n", "server.yaml");
    EXPECT_EQ(defaults.requests.profile, "peer");
    EXPECT_TRUE(defaults.requests.autosign_globs.empty());
    EXPECT_EQ(defaults.requests.autosign_policy_timeout.count(), 10);
}

TEST(ServerConfig, RefusesAnUnknownAutosignKeyByName) {
    try {
        parse_server_config("autosign: {glob: ['*.example.com']}\n", "server.yaml");
        FAIL() << "autosign.glob (a typo of globs) was accepted";
    } catch (const core::Error& e) {
        EXPECT_NE(std::string(e.what()).find("server.yaml.autosign: unknown key \"glob\""), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace certfleet::server
