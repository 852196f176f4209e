#include "agent/adoption.hpp"

#include "agent/agent_state_file.hpp"
#include "agent/pending_request.hpp"
#include "core/error.hpp"
#include "core/file.hpp"
#include "fixture_files.hpp"
#include "temp_dir.hpp"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <sys/stat.h>

namespace certfleet::agent {
namespace {

using ::testing::HasSubstr;
using testing::read_fixture;

const core::TimePoint now{std::chrono::seconds{1'780'000'000}};  // 2026: pki/server.pem is valid

class Adoption : public ::testing::Test {
protected:
    Adoption() {
        m_dir.write("node1.yaml",
                    fmt::format("certificate: {{cert: {0}/node1/cert.pem, chain: {0}/node1/chain.pem, key: "
                                "{0}/node1/key.pem}}\ntargets: [{{format: pem, path: {0}/out}}]\n",
                                m_dir.path().string()));
        std::filesystem::create_directories(m_dir.path() / "node1");
        std::filesystem::create_directories(m_dir.path() / "out");
        m_config = {.server = "https://127.0.0.1:1",
                    .ca_file = testing::fixture_path("pki/root.pem"),
                    .state_dir = m_dir.file("state"),
                    .certificates = {{.name = "node1",
                                      .deploy_spec = m_dir.file("node1.yaml"),
                                      .renew_before = std::nullopt,
                                      .key_type = "",
                                      .subject = "CN=node1.example.com",
                                      .sans = {"DNS:node1.example.com"}}},
                    .bootstrap = std::nullopt};
    }

    static formats::NodePackage package(std::string_view cert, std::string_view key) {
        return {.node = "node1.example.com",
                .certificate_pem = read_fixture(cert),
                .chain_pem = read_fixture("pki/chain.pem"),
                .key_pem = read_fixture(key)};
    }

    // Returns the message of the Error(invalid_input) adopting `p` fails with; nothing may be written.
    std::string refusal(const formats::NodePackage& p) {
        try {
            static_cast<void>(adopt_certificate(m_config, p, {.now = now}, "node1.tar"));
        } catch (const core::Error& e) {
            EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
            EXPECT_FALSE(std::filesystem::exists(m_dir.file("node1/cert.pem")));
            EXPECT_FALSE(read_record(m_config.state_dir, "node1").has_value());
            return e.what();
        }
        ADD_FAILURE() << "adopted";
        return {};
    }

    testing::TempDir m_dir;
    AgentConfig m_config;
};

TEST_F(Adoption, DeploysThePackageAndMarksTheCertificateAdopted) {
    // A pending request waiting for the same certificate is replaced by the adoption.
    CertificateRecord pending{.name = "node1", .state = TrackingState::pending_at_ca, .pending_request = "7"};
    write_record(m_config.state_dir, pending);
    static_cast<void>(pending_request_key(m_config.state_dir, m_config.certificates[0]));

    const AdoptionReport report =
        adopt_certificate(m_config, package("pki/server.pem", "pki/server.key"), {.now = now}, "node1.tar");
    EXPECT_EQ(report.name, "node1");
    EXPECT_EQ(report.outcome, deploy::DeploymentOutcome::deployed);
    EXPECT_FALSE(report.deployment.empty());
    const pki::Certificate deployed =
        pki::Certificate::from_pem(core::read_file(m_dir.file("node1/cert.pem")), "cert.pem");
    EXPECT_EQ(deployed.serial_hex(), report.serial);
    struct stat key_stat {};
    ASSERT_EQ(::stat(m_dir.file("node1/key.pem").c_str(), &key_stat), 0);
    EXPECT_EQ(key_stat.st_mode & 0777U, 0600U);

    const std::optional<CertificateRecord> record = read_record(m_config.state_dir, "node1");
    ASSERT_TRUE(record.has_value());
    EXPECT_EQ(record->state, TrackingState::adopted);
    EXPECT_EQ(record->serial, report.serial);
    EXPECT_EQ(record->last_outcome, "adopted");
    EXPECT_EQ(record->last_deployment, report.deployment);
    EXPECT_TRUE(record->pending_request.empty());
    EXPECT_FALSE(has_pending_request_key(m_config.state_dir, "node1"));
}

TEST_F(Adoption, AKeyThatDoesNotMatchTheCertificateIsRefused) {
    EXPECT_THAT(refusal(package("pki/server.pem", "pki/other.key")), HasSubstr("node1.tar"));
}

TEST_F(Adoption, ACertificateForAnotherNameIsRefused) {
    EXPECT_THAT(refusal(package("pki/ed25519.pem", "pki/ed25519.key")),
                HasSubstr("match no tracked certificate"));
}

TEST_F(Adoption, AnExpiredCertificateIsRefused) {
    EXPECT_THAT(refusal(package("pki/expired.pem", "pki/server.key")),
                HasSubstr("expired at 2021-01-01T00:00:00Z"));
}

TEST_F(Adoption, ACertificateFromAnotherCaIsRefused) {
    m_config.ca_file = testing::fixture_path("pki/rsa_pss.pem");  // this node trusts another CA only
    EXPECT_THAT(refusal(package("pki/server.pem", "pki/server.key")),
                HasSubstr("does not chain to the CA this node trusts"));
}

TEST_F(Adoption, AnUnknownCertificateNameIsNotFound) {
    try {
        static_cast<void>(adopt_certificate(
            m_config, package("pki/server.pem", "pki/server.key"), {.now = now, .only = "web"}, "node1.tar"));
        FAIL() << "adopted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::not_found);
        EXPECT_THAT(e.what(), HasSubstr("--certificate: \"web\""));
    }
}

TEST_F(Adoption, TheNamesOfTheCertificateInPlaceAlsoMatch) {
    m_config.certificates[0].subject.clear();
    m_config.certificates[0].sans.clear();
    EXPECT_THROW(
        static_cast<void>(tracked_certificate_for(
            m_config, pki::Certificate::from_pem(read_fixture("pki/server.pem"), "s"), "", "node1.tar")),
        core::Error);
    core::write_file_atomically(
        m_dir.file("node1/cert.pem"), read_fixture("pki/expired.pem"), {.mode = 0644});
    core::write_file_atomically(m_dir.file("node1/key.pem"), read_fixture("pki/server.key"), {.mode = 0600});
    core::write_file_atomically(m_dir.file("node1/chain.pem"), read_fixture("pki/chain.pem"), {.mode = 0644});
    EXPECT_EQ(tracked_certificate_for(
                  m_config, pki::Certificate::from_pem(read_fixture("pki/server.pem"), "s"), "", "node1.tar")
                  .name,
              "node1");
}

}  // namespace
}  // namespace certfleet::agent
