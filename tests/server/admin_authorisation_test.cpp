// server/admin_authorisation: only a serial on the allow-list, unexpired and unrevoked in the store,
// makes a client certificate an admin; the role decides 403. The records are written directly (no CA
// key is needed to judge a certificate the handshake already verified).

#include "server/admin_authorisation.hpp"

#include "core/error.hpp"
#include "store/admin_records.hpp"
#include "store/store.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace certfleet::server {
namespace {

using store::AdminRole;

core::TimePoint at(std::int64_t seconds) {
    return core::TimePoint{std::chrono::seconds{seconds}};
}

const core::TimePoint now = at(1'750'000'000);

class AdminAuthorisation : public ::testing::Test {
protected:
    void SetUp() override {
        m_store = store::open_store("sqlite::memory:");
        for (const char* name : {"main", "other"}) {
            store::AuthorityRecord record{.name = name,
                                          .root_key_pem = "root",
                                          .profiles_yaml = "profiles: {}\n",
                                          .policy_yaml = "policy: {}\n",
                                          .created_at = at(1'700'000'000)};
            record.issuers.push_back({.generation = 1,
                                      .chain_pem = "chain",
                                      .encrypted_key_pem = "key",
                                      .key_id = "aa",
                                      .created_at = at(1'700'000'000)});
            m_store->create_authority(record, {.name = "test", .at = at(1'700'000'000)});
            m_issuer[name] = record.issuers.at(0).id;
        }
    }

    // Records certificate `serial` of `authority` valid until `not_after`, and allow-lists it as `name`
    // with `role` unless `role` is nullopt.
    ClientCertificate admin(const std::string& serial,
                            std::optional<AdminRole> role,
                            std::int64_t not_after = 1'800'000'000,
                            const std::string& authority = "main") {
        m_store->insert_certificate({.serial_hex = serial,
                                     .authority = authority,
                                     .issuer_id = m_issuer[authority],
                                     .authority_key_id = "aa",
                                     .subject = "CN=alice,OU=certfleet-admin",
                                     .not_before = at(1'700'000'000),
                                     .not_after = at(not_after),
                                     .profile = "client",
                                     .requester = "cli:test",
                                     .der = {0x30, 0x00}},
                                    {.name = "test", .at = at(1'700'000'000)});
        if (role) {
            m_store->commit([&](store::Transaction& tx) {
                store::insert_admin_certificate(tx,
                                                {.serial_hex = serial,
                                                 .authority = authority,
                                                 .name = "admin-" + serial,
                                                 .role = *role,
                                                 .created_at = at(1'700'000'000),
                                                 .created_by = "cli:test"});
            });
        }
        return {.serial_hex = serial,
                .subject = "CN=alice,OU=certfleet-admin",
                .common_name = "alice",
                .not_after = at(not_after)};
    }

    AdminIdentity authorise(const ClientCertificate& certificate, AdminRole needed) {
        return authorise_admin(Caller{certificate},
                               *m_store,
                               {.authority = "main", .role = needed, .action = "sign requests"},
                               now);
    }

    // Returns the code authorise() throws with, and checks the message names `expected`.
    core::ErrorCode refusal(const ClientCertificate& certificate,
                            AdminRole needed,
                            const std::string& expected) {
        try {
            authorise(certificate, needed);
        } catch (const core::Error& e) {
            EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
            return e.code();
        }
        ADD_FAILURE() << "accepted " << certificate.serial_hex;
        return core::ErrorCode::internal;
    }

    std::unique_ptr<store::Store> m_store;
    std::map<std::string, std::int64_t> m_issuer;
};

TEST_F(AdminAuthorisation, AnAdminMayDoEverything) {
    const ClientCertificate certificate = admin("a1", AdminRole::admin);
    for (const AdminRole needed : {AdminRole::reader, AdminRole::operator_, AdminRole::admin}) {
        const AdminIdentity identity = authorise(certificate, needed);
        EXPECT_EQ(identity.name, "admin-a1");
        EXPECT_EQ(identity.role, AdminRole::admin);
        EXPECT_EQ(identity.serial_hex, "a1");
        EXPECT_EQ(identity.actor(), "admin:admin-a1");
    }
}

TEST_F(AdminAuthorisation, AnOperatorMayOperateButNotAdministerAdmins) {
    const ClientCertificate certificate = admin("b1", AdminRole::operator_);
    EXPECT_EQ(authorise(certificate, AdminRole::reader).role, AdminRole::operator_);
    EXPECT_EQ(authorise(certificate, AdminRole::operator_).name, "admin-b1");
    EXPECT_EQ(refusal(certificate,
                      AdminRole::admin,
                      "admin admin-b1 has role operator: to sign requests needs role admin"),
              core::ErrorCode::forbidden);
}

TEST_F(AdminAuthorisation, AReaderMayOnlyRead) {
    const ClientCertificate certificate = admin("c1", AdminRole::reader);
    EXPECT_EQ(authorise(certificate, AdminRole::reader).role, AdminRole::reader);
    EXPECT_EQ(refusal(certificate, AdminRole::operator_, "has role reader"), core::ErrorCode::forbidden);
}

TEST_F(AdminAuthorisation, ACertificateOfTheCaNotOnTheListIsNoAdminWhateverItsName) {
    const ClientCertificate certificate = admin("d1", std::nullopt);  // CN=alice, issued by "main"
    EXPECT_EQ(refusal(certificate, AdminRole::reader, "d1: not an admin certificate of authority \"main\""),
              core::ErrorCode::unauthenticated);
}

TEST_F(AdminAuthorisation, AnAdminOfAnotherAuthorityIsNoAdminHere) {
    const ClientCertificate certificate = admin("e1", AdminRole::admin, 1'800'000'000, "other");
    EXPECT_EQ(refusal(certificate, AdminRole::reader, "not an admin certificate"),
              core::ErrorCode::unauthenticated);
}

TEST_F(AdminAuthorisation, AnExpiredAdminCertificateGets401) {
    const ClientCertificate certificate = admin("f1", AdminRole::admin, 1'740'000'000);
    EXPECT_EQ(refusal(certificate, AdminRole::reader, "f1: expired at"), core::ErrorCode::unauthenticated);
}

TEST_F(AdminAuthorisation, ARevokedAdminCertificateGets401EvenWhileStillListed) {
    const ClientCertificate certificate = admin("a9", AdminRole::admin);
    m_store->revoke_certificate("main", "a9", "keyCompromise", {.name = "test", .at = at(1'740'000'000)});
    EXPECT_EQ(refusal(certificate, AdminRole::reader, "a9: revoked"), core::ErrorCode::unauthenticated);
}

TEST_F(AdminAuthorisation, NoClientCertificateGets401) {
    try {
        authorise_admin(
            Caller{}, *m_store, {.authority = "main", .role = AdminRole::reader, .action = "read"}, now);
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::unauthenticated);
        EXPECT_STREQ(e.what(), "an admin client certificate is needed to read");
    }
}

}  // namespace
}  // namespace certfleet::server
