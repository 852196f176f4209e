#include "enrollment/request_queue.hpp"

#include "core/error.hpp"
#include "enrollment_fixture.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace certfleet::enrollment {
namespace {

using certfleet::testing::enrollment_now;

class RequestQueue : public certfleet::testing::EnrollmentFixture {
protected:
    RequestView submit(const std::string& cn, const QueueSettings& settings = {}) {
        return submit_request(*m_store, *m_ca, csr("CN=" + cn, "DNS:" + cn), settings, enrollment_now);
    }
    static store::Actor ops() { return {.name = "cli:ops", .at = enrollment_now}; }
};

TEST_F(RequestQueue, QueuesWithoutARuleAndIssuesOnApproval) {
    const RequestView pending = submit("node1.example.com");
    EXPECT_EQ(pending.request.state, store::RequestState::pending);
    EXPECT_FALSE(pending.issued);
    EXPECT_EQ(certificate_count(), 0U);
    EXPECT_EQ(pending_request(*m_store, "main", "node1.example.com").id, pending.request.id);
    EXPECT_EQ(pending_request(*m_store, "main", std::to_string(pending.request.id)).id, pending.request.id);
    const RequestView approved = approve_request(*m_store, *m_ca, pending.request.id, ops());
    ASSERT_TRUE(approved.issued);
    const RequestView fetched = find_request(*m_store, "main", pending.request.id);
    EXPECT_EQ(fetched.request.state, store::RequestState::issued);
    EXPECT_EQ(fetched.request.decided_by, "cli:ops");
    EXPECT_EQ(fetched.request.certificate_serial, approved.issued->certificate.serial_hex());
    ASSERT_TRUE(fetched.issued);
    EXPECT_EQ(fetched.issued->chain_pem, approved.issued->chain_pem);
    EXPECT_EQ(fetched.issued->certificate.der(), approved.issued->certificate.der());
    EXPECT_EQ(m_store->find_certificate(fetched.request.certificate_serial)->profile, "peer");
    try {
        approve_request(*m_store, *m_ca, pending.request.id, ops());
        FAIL() << "an issued request was approved again";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
    }
    EXPECT_EQ(certificate_count(), 1U);
}

TEST_F(RequestQueue, DeniesWithTheReasonAndNeverIssues) {
    const RequestView pending = submit("node2.example.com");
    const auto denied = deny_request(*m_store, "main", pending.request.id, "unknown host", ops());
    EXPECT_EQ(denied.state, store::RequestState::denied);
    EXPECT_EQ(find_request(*m_store, "main", pending.request.id).request.reason, "unknown host");
    EXPECT_THROW(approve_request(*m_store, *m_ca, pending.request.id, ops()), core::Error);
    EXPECT_THROW(pending_request(*m_store, "main", "node2.example.com"), core::Error);
    EXPECT_THROW(find_request(*m_store, "main", 999), core::Error);
    EXPECT_EQ(certificate_count(), 0U);
}

TEST_F(RequestQueue, AutosignsAGlobMatchAtOnce) {
    QueueSettings settings;
    settings.autosign.globs = {"*.auto.example.com"};
    const RequestView signed_now = submit("web1.auto.example.com", settings);
    EXPECT_EQ(signed_now.request.state, store::RequestState::issued);
    ASSERT_TRUE(signed_now.issued);
    EXPECT_EQ(find_request(*m_store, "main", signed_now.request.id).request.decided_by, "autosign");
    EXPECT_EQ(submit("web1.other.example.com", settings).request.state, store::RequestState::pending);
}

TEST_F(RequestQueue, AsksThePolicyExecutableWithTheNameAndTheCsrOnStdin) {
    const certfleet::testing::TempDir dir;
    const std::string policy = (dir.path() / "policy.sh").string();
    const std::string seen = (dir.path() / "seen").string();
    std::ofstream(policy) << "#!/bin/sh\ncat > '" << seen << "'\n[ \"$1\" = policy-ok.example.com ]\n";
    std::filesystem::permissions(policy, std::filesystem::perms::owner_all);
    QueueSettings settings;
    settings.autosign.policy_executable = policy;
    const RequestView approved = submit("policy-ok.example.com", settings);
    EXPECT_EQ(approved.request.state, store::RequestState::issued);
    std::ifstream in(seen);
    const std::string stdin_text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(stdin_text, approved.request.csr_pem);
    const RequestView refused = submit("policy-no.example.com", settings);
    EXPECT_EQ(refused.request.state, store::RequestState::pending);
    EXPECT_NE(refused.autosign.find("exit 1"), std::string::npos) << refused.autosign;
}

TEST_F(RequestQueue, RefusesACsrThatNamesNothing) {
    try {
        submit_request(*m_store, *m_ca, csr("O=Nameless", ""), {}, enrollment_now);
        FAIL() << "a nameless CSR was queued";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
    }
}

}  // namespace
}  // namespace certfleet::enrollment
