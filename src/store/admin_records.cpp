#include "store/admin_records.hpp"

#include "core/error.hpp"
#include "store/record_codec.hpp"

#include <fmt/format.h>

namespace certfleet::store {
namespace {

using core::Error;
using core::ErrorCode;

constexpr std::string_view admin_columns = "serial, authority, name, role, created_at, created_by";

AdminCertificateRecord read_admin(const SqlRow& r) {
    return {.serial_hex = r.text(0),
            .authority = r.text(1),
            .name = r.text(2),
            .role = parse_admin_role(r.text(3), "admin_certificates.role"),
            .created_at = from_unix_seconds(r.integer(4)),
            .created_by = r.text(5)};
}

}  // namespace

std::string_view to_string(AdminRole role) noexcept {
    switch (role) {
        case AdminRole::reader:
            return "reader";
        case AdminRole::operator_:
            return "operator";
        case AdminRole::admin:
            return "admin";
    }
    return "reader";
}

AdminRole parse_admin_role(std::string_view text, std::string_view field) {
    for (const AdminRole role : {AdminRole::reader, AdminRole::operator_, AdminRole::admin}) {
        if (text == to_string(role)) {
            return role;
        }
    }
    throw Error(ErrorCode::invalid_input,
                fmt::format("{}: unknown role \"{}\" (admin, operator or reader)", field, text));
}

void insert_admin_certificate(Transaction& tx, const AdminCertificateRecord& admin) {
    if (find_admin_by_name(tx, admin.authority, admin.name)) {
        throw Error(
            ErrorCode::conflict,
            fmt::format(
                R"(admin "{}" of authority "{}" exists: revoke it first)", admin.name, admin.authority));
    }
    try {
        tx.run(
            fmt::format("INSERT INTO admin_certificates ({}) VALUES ($1, $2, $3, $4, $5, $6)", admin_columns),
            {admin.serial_hex,
             admin.authority,
             admin.name,
             to_string(admin.role),
             to_unix_seconds(admin.created_at),
             admin.created_by});
    } catch (const Error& e) {
        if (e.code() == ErrorCode::conflict) {
            throw Error(
                ErrorCode::conflict,
                fmt::format(
                    "certificate {} is already an admin certificate ({})", admin.serial_hex, e.what()));
        }
        throw;
    }
}

std::optional<AdminCertificateRecord> find_admin_certificate(Transaction& tx, std::string_view serial_hex) {
    const SqlResult r = tx.run(
        fmt::format("SELECT {} FROM admin_certificates WHERE serial = $1", admin_columns), {serial_hex});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    return read_admin(r.rows[0]);
}

std::optional<AdminCertificateRecord> find_admin_by_name(Transaction& tx,
                                                         std::string_view authority,
                                                         std::string_view name) {
    const SqlResult r = tx.run(
        fmt::format("SELECT {} FROM admin_certificates WHERE authority = $1 AND name = $2", admin_columns),
        {authority, name});
    if (r.rows.empty()) {
        return std::nullopt;
    }
    return read_admin(r.rows[0]);
}

std::vector<AdminCertificateRecord> list_admin_certificates(Transaction& tx, std::string_view authority) {
    const SqlResult r = tx.run(
        fmt::format("SELECT {} FROM admin_certificates WHERE authority = $1 ORDER BY name", admin_columns),
        {authority});
    std::vector<AdminCertificateRecord> admins;
    admins.reserve(r.rows.size());
    for (const SqlRow& row : r.rows) {
        admins.push_back(read_admin(row));
    }
    return admins;
}

bool delete_admin_certificate(Transaction& tx, std::string_view serial_hex) {
    return tx.run("DELETE FROM admin_certificates WHERE serial = $1", {serial_hex}).affected == 1;
}

}  // namespace certfleet::store
