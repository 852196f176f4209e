#include "enrollment/token_enrollment.hpp"

#include "core/error.hpp"
#include "enrollment_fixture.hpp"
#include "store/token_records.hpp"

#include <gtest/gtest.h>

namespace certfleet::enrollment {
namespace {

using certfleet::testing::enrollment_now;

class TokenEnrollment : public certfleet::testing::EnrollmentFixture {
protected:
    NewToken token_for(const std::string& names, core::Seconds ttl = core::Seconds{3600}) {
        return create_token(*m_store,
                            {.authority = "main",
                             .names = pki::parse_general_names(names, "test"),
                             .ttl = ttl,
                             .created_by = "cli:test"},
                            enrollment_now);
    }

    core::Error refusal(const NewToken& token, const pki::Csr& request, core::TimePoint at = enrollment_now) {
        try {
            enroll_with_token(*m_store, *m_ca, token.token, request, at);
        } catch (const core::Error& e) {
            return e;
        }
        ADD_FAILURE() << "the enrollment was accepted";
        return core::Error(core::ErrorCode::internal, "accepted");
    }
};

TEST_F(TokenEnrollment, StoresOnlyTheHashOfTheToken) {
    const NewToken token = token_for("DNS:node1.example.com");
    const auto stored = m_store->read(
        [&](store::Transaction& tx) { return store::list_enrollment_tokens(tx, "main", true); });
    ASSERT_EQ(stored.size(), 1U);
    EXPECT_EQ(stored[0].hash, hash_token(token.token.reveal()));
    EXPECT_EQ(stored[0].names, std::vector<std::string>{"DNS:node1.example.com"});
    const auto audit = m_store->audit_log({.limit = 1});
    ASSERT_EQ(audit.size(), 1U);
    EXPECT_EQ(audit[0].action, "token.create");
    EXPECT_EQ(audit[0].outcome.find(std::string(token.token.reveal())), std::string::npos);
}

TEST_F(TokenEnrollment, IssuesOnceForTheGrantedNamesAndRecordsTheSerial) {
    const NewToken token = token_for("DNS:node1.example.com,IP:10.0.0.1");
    const auto issued = enroll_with_token(
        *m_store, *m_ca, token.token, csr("CN=node1.example.com", "IP:10.0.0.1"), enrollment_now);
    EXPECT_EQ(issued.certificate.subject(), "CN=node1.example.com");
    const auto stored =
        m_store->read([&](store::Transaction& tx) { return store::find_enrollment_token(tx, token.hash); });
    ASSERT_TRUE(stored && stored->used_at);
    EXPECT_EQ(stored->used_serial, issued.certificate.serial_hex());
    const core::Error again = refusal(token, csr("CN=node1.example.com", ""));
    EXPECT_EQ(again.code(), core::ErrorCode::forbidden);
    EXPECT_NE(std::string(again.what()).find("already used"), std::string::npos) << again.what();
    EXPECT_EQ(certificate_count(), 1U);
}

TEST_F(TokenEnrollment, RefusesOtherNamesExpiredAndUnknownTokensIssuingNothing) {
    const NewToken token = token_for("DNS:node1.example.com", core::Seconds{60});
    EXPECT_NE(std::string(refusal(token, csr("CN=node1.example.com", "DNS:evil.example.com")).what())
                  .find("not granted for DNS:evil.example.com"),
              std::string::npos);
    EXPECT_NE(std::string(refusal(token, csr("CN=node2.example.com", "")).what())
                  .find("not granted for DNS:node2.example.com"),
              std::string::npos);
    EXPECT_NE(std::string(
                  refusal(token, csr("CN=node1.example.com", ""), enrollment_now + core::Seconds{60}).what())
                  .find("expired"),
              std::string::npos);
    const NewToken unknown = generate_token();
    EXPECT_EQ(refusal(unknown, csr("CN=node1.example.com", "")).code(), core::ErrorCode::forbidden);
    EXPECT_EQ(certificate_count(), 0U);
    // The refusals did not spend it.
    EXPECT_NO_THROW(
        enroll_with_token(*m_store, *m_ca, token.token, csr("CN=node1.example.com", ""), enrollment_now));
}

TEST_F(TokenEnrollment, RefusesAnEmptyGrantAndAnUnknownProfile) {
    EXPECT_THROW(
        create_token(*m_store, {.authority = "main", .names = {}, .created_by = "t"}, enrollment_now),
        core::Error);
    try {
        create_token(*m_store,
                     {.authority = "main",
                      .names = pki::parse_general_names("DNS:a.example.com", "t"),
                      .profile = "nosuch",
                      .created_by = "t"},
                     enrollment_now);
        FAIL() << "an unknown profile was accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
    }
}

TEST_F(TokenEnrollment, RequestedNamesAreTheHostCommonNameThenTheAltNames) {
    const auto names = requested_names(csr("CN=node1.example.com", "DNS:node1.example.com,IP:10.0.0.1"));
    ASSERT_EQ(names.size(), 2U);
    EXPECT_EQ(pki::to_string(names[0]), "DNS:node1.example.com");
    EXPECT_EQ(pki::to_string(names[1]), "IP:10.0.0.1");
    EXPECT_TRUE(requested_names(csr("CN=Alice Smith", "")).empty());
}

}  // namespace
}  // namespace certfleet::enrollment
