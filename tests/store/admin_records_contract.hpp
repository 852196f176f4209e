#pragma once
// The admin allow-list on both back ends (instantiated in sqlite_store_test.cpp and
// postgres_store_pgtest.cpp). Every test uses a fresh authority, so it also runs on a shared database.

#include "store/admin_records.hpp"
#include "store_contract.hpp"

#include <gtest/gtest.h>

namespace certfleet::store {

class AdminRecordsContract : public StoreContract {
protected:
    AdminCertificateRecord allow(const std::string& serial, const std::string& name, AdminRole role) {
        m_store->insert_certificate(certificate(serial), actor());
        AdminCertificateRecord admin{.serial_hex = serial,
                                     .authority = m_authority,
                                     .name = name,
                                     .role = role,
                                     .created_at = at(1'700'000'100),
                                     .created_by = "cli:test"};
        m_store->commit([&](Transaction& tx) { insert_admin_certificate(tx, admin); });
        return admin;
    }

    // Serials are global: prefixed with the authority's unique suffix so a shared database never clashes.
    std::string serial(const std::string& tail) const { return m_authority.substr(3) + tail; }
};

TEST_P(AdminRecordsContract, AnEntryIsFoundBySerialAndByNameWithItsRole) {
    allow(serial("a1"), "alice", AdminRole::operator_);
    const auto by_serial =
        m_store->read([&](Transaction& tx) { return find_admin_certificate(tx, serial("a1")); });
    ASSERT_TRUE(by_serial.has_value());
    EXPECT_EQ(by_serial->name, "alice");
    EXPECT_EQ(by_serial->role, AdminRole::operator_);
    EXPECT_EQ(by_serial->authority, m_authority);
    EXPECT_EQ(by_serial->created_at, at(1'700'000'100));
    EXPECT_EQ(by_serial->created_by, "cli:test");
    const auto by_name =
        m_store->read([&](Transaction& tx) { return find_admin_by_name(tx, m_authority, "alice"); });
    ASSERT_TRUE(by_name.has_value());
    EXPECT_EQ(by_name->serial_hex, serial("a1"));
    EXPECT_FALSE(m_store->read([&](Transaction& tx) { return find_admin_certificate(tx, serial("b2")); }));
    EXPECT_FALSE(m_store->read([&](Transaction& tx) { return find_admin_by_name(tx, m_authority, "bob"); }));
}

TEST_P(AdminRecordsContract, ANameOrASerialIsAllowListedOnce) {
    allow(serial("a1"), "alice", AdminRole::admin);
    m_store->insert_certificate(certificate(serial("a2")), actor());
    try {
        m_store->commit([&](Transaction& tx) {
            insert_admin_certificate(tx,
                                     {.serial_hex = serial("a2"),
                                      .authority = m_authority,
                                      .name = "alice",
                                      .role = AdminRole::reader,
                                      .created_at = at(1'700'000'200),
                                      .created_by = "cli:test"});
        });
        FAIL() << "a second alice was accepted";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::conflict);
        EXPECT_NE(std::string(e.what()).find("alice"), std::string::npos) << e.what();
    }
    EXPECT_THROW(m_store->commit([&](Transaction& tx) {
        insert_admin_certificate(tx,
                                 {.serial_hex = serial("a1"),
                                  .authority = m_authority,
                                  .name = "bob",
                                  .role = AdminRole::reader,
                                  .created_at = at(1'700'000'200),
                                  .created_by = "cli:test"});
    }),
                 core::Error);
}

TEST_P(AdminRecordsContract, ListsByNameAndForgetsADeletedEntry) {
    allow(serial("b1"), "bob", AdminRole::reader);
    allow(serial("a1"), "alice", AdminRole::admin);
    const auto admins =
        m_store->read([&](Transaction& tx) { return list_admin_certificates(tx, m_authority); });
    ASSERT_EQ(admins.size(), 2U);
    EXPECT_EQ(admins[0].name, "alice");
    EXPECT_EQ(admins[1].name, "bob");
    EXPECT_EQ(admins[1].role, AdminRole::reader);
    bool deleted = false;
    m_store->commit([&](Transaction& tx) { deleted = delete_admin_certificate(tx, serial("a1")); });
    EXPECT_TRUE(deleted);
    m_store->commit([&](Transaction& tx) { deleted = delete_admin_certificate(tx, serial("a1")); });
    EXPECT_FALSE(deleted);
    EXPECT_FALSE(m_store->read([&](Transaction& tx) { return find_admin_certificate(tx, serial("a1")); }));
    EXPECT_EQ(m_store->read([&](Transaction& tx) { return list_admin_certificates(tx, m_authority); }).size(),
              1U);
}

TEST(AdminRole, ReadsWhatItWritesAndNamesTheFieldOfAnUnknownRole) {
    for (const AdminRole role : {AdminRole::reader, AdminRole::operator_, AdminRole::admin}) {
        EXPECT_EQ(parse_admin_role(to_string(role), "--role"), role);
    }
    EXPECT_EQ(to_string(AdminRole::operator_), "operator");
    try {
        parse_admin_role("root", "--role");
        FAIL();
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_EQ(std::string(e.what()), "--role: unknown role \"root\" (admin, operator or reader)");
    }
}

}  // namespace certfleet::store
