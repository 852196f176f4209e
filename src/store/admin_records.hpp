#pragma once
// The admin allow-list (issue 14, "who may do what"): which client certificates, by serial, may
// administer an authority over HTTPS, under which name and with which role. A certificate of our CA is
// not an admin because of its name; only an entry here makes it one. `certfleet admin-cert` writes it;
// server/admin_authorisation reads it.

#include "core/clock.hpp"
#include "store/transaction.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace certfleet::store {

/// What an admin certificate may do, lowest first: each role may do what the ones below it may.
enum class AdminRole {
    reader,  ///< read statuses and lists
    /// also approve and deny requests, revoke node certificates, node actions ("operator")
    operator_,  // NOLINT(readability-identifier-naming): "operator" is a keyword
    admin,      ///< everything, including other admins
};

/// Returns "reader", "operator" or "admin".
std::string_view to_string(AdminRole role) noexcept;
/// Parses a role written by to_string. Throws Error(invalid_input) naming `field` for anything else.
AdminRole parse_admin_role(std::string_view text, std::string_view field);

/// One allow-listed admin certificate.
struct AdminCertificateRecord {
    std::string serial_hex;  ///< the certificate's serial, the primary key (lower-case hex)
    std::string authority;
    std::string name;  ///< "alice": audited as "admin:alice"; unique per authority
    AdminRole role = AdminRole::reader;
    core::TimePoint created_at;
    std::string created_by;  ///< "cli:root"
};

/// Allow-lists `admin` (its certificate must be recorded). Throws Error(conflict) naming the name or the
/// serial if either is already on the list of the authority.
void insert_admin_certificate(Transaction& tx, const AdminCertificateRecord& admin);
/// Returns the entry of certificate `serial_hex`, or nullopt.
std::optional<AdminCertificateRecord> find_admin_certificate(Transaction& tx, std::string_view serial_hex);
/// Returns the entry named `name` in `authority`, or nullopt.
std::optional<AdminCertificateRecord> find_admin_by_name(Transaction& tx,
                                                         std::string_view authority,
                                                         std::string_view name);
/// Returns the entries of `authority`, by name.
std::vector<AdminCertificateRecord> list_admin_certificates(Transaction& tx, std::string_view authority);
/// Removes the entry of `serial_hex`; returns false if there was none.
bool delete_admin_certificate(Transaction& tx, std::string_view serial_hex);

}  // namespace certfleet::store
