#pragma once
// An authority in an in-memory SQLite store, and CSRs, for the enrollment tests that issue.

#include "authority/authority.hpp"
#include "authority/authority_setup.hpp"
#include "pki/csr.hpp"
#include "pki/private_key.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace certfleet::testing {

inline const core::TimePoint enrollment_now{std::chrono::seconds{1'780'000'000}};

class EnrollmentFixture : public ::testing::Test {
protected:
    void SetUp() override {
        m_store = store::open_store("sqlite::memory:");
        authority::init_authority(*m_store,
                                  {.name = "main",
                                   .subject = "CN=Enrollment Test Root",
                                   .intermediate = true,
                                   .key = pki::KeySpec::parse("ec:p256", "test"),
                                   .validity = std::chrono::hours(24 * 3650),
                                   .key_iterations = 1000},
                                  m_passphrase,
                                  {.name = "test", .at = enrollment_now});
        m_ca = std::make_unique<authority::Authority>(
            authority::Authority::open(*m_store, "main", m_passphrase));
    }

    static pki::Csr csr(const std::string& subject, const std::string& names) {
        const pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "test"));
        return pki::Csr::create(
            {.subject = subject,
             .subject_alt_names =
                 names.empty() ? std::vector<pki::GeneralName>{} : pki::parse_general_names(names, "test")},
            key);
    }

    std::size_t certificate_count() { return m_store->list_certificates({.authority = "main"}).size(); }

    core::Secret m_passphrase{"enrollment test passphrase"};
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<authority::Authority> m_ca;
};

}  // namespace certfleet::testing
