#include "cli/inventory_output.hpp"

#include "cli/json_output.hpp"
#include "cli/object_report.hpp"
#include "pki/certificate.hpp"

#include <fmt/format.h>

namespace certfleet::cli {
namespace {

std::string csv_field(const std::string& value) {
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
        return value;
    }
    std::string out = "\"";
    for (const char c : value) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

std::string join(const std::vector<std::string>& values, std::string_view separator) {
    std::string out;
    for (const auto& value : values) {
        if (!out.empty()) {
            out += separator;
        }
        out += value;
    }
    return out;
}

std::string shortened(const std::string& text, std::size_t width) {
    return text.size() <= width ? text : text.substr(0, width - 3) + "...";
}

std::string drift_text(const inventory::Drift& drift) {
    std::string out = inventory::drift_label(drift);
    if (!drift.newest_for_names) {
        out += drift.issued_by_us ? " (newer: " + drift.newer_serial + ")"
                                  : " (ours is newer: " + drift.newer_serial + ")";
    }
    return out;
}

}  // namespace

void append_json(std::string& out,
                 const inventory::CertificateRecord& record,
                 core::TimePoint now,
                 int depth) {
    const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
    const std::string key_indent = indent + "  ";
    out += "{";
    bool first = true;
    const auto key = [&](std::string_view name) {
        out += first ? "\n" : ",\n";
        first = false;
        out += key_indent;
        append_json_string(out, name);
        out += ": ";
    };
    const auto text = [&](std::string_view name, std::string_view value) {
        key(name);
        append_json_string(out, value);
    };
    const auto literal = [&](std::string_view name, std::string_view value) {
        key(name);
        out += value;
    };
    const inventory::Drift* drift = record.drift ? &*record.drift : nullptr;
    // Keys in sorted order, as nlohmann::json (a std::map) writes them.
    if (drift != nullptr) {
        text("authority", drift->authority);
    }
    literal("days_left", std::to_string(inventory::days_left(record, now)));
    if (drift != nullptr) {
        text("drift", inventory::drift_label(*drift));
    }
    literal("expired", inventory::has_expired_at(record, now) ? "true" : "false");
    text("format", record.format);
    if (drift != nullptr) {
        literal("issued_by_us", drift->issued_by_us ? "true" : "false");
    }
    text("issuer", record.issuer);
    text("key", record.key_description);
    text("location", record.location);
    if (drift != nullptr) {
        literal("newer_serial", drift->newer_serial.empty() ? "null" : json_string(drift->newer_serial));
        literal("newest_for_names", drift->newest_for_names ? "true" : "false");
    }
    text("not_after", pki::format_time(record.not_after));
    text("not_before", pki::format_time(record.not_before));
    text("path", record.path);
    if (drift != nullptr) {
        literal("revoked", drift->revoked ? "true" : "false");
    }
    text("serial", record.serial_hex);
    text("sha256", record.sha256);
    text("subject", record.subject);
    key("subject_alt_names");
    if (record.subject_alt_names.empty()) {
        out += "[]";
    } else {
        out += "[";
        for (std::size_t i = 0; i < record.subject_alt_names.size(); ++i) {
            out += i == 0 ? "\n" : ",\n";
            out += key_indent + "  ";
            append_json_string(out, record.subject_alt_names[i]);
        }
        out += "\n" + key_indent + "]";
    }
    out += "\n" + indent + "}";
}

nlohmann::json to_json(const inventory::CertificateRecord& record, core::TimePoint now) {
    std::string text;
    append_json(text, record, now, 0);
    return nlohmann::json::parse(text);
}

std::string csv_header() {
    return "path,location,format,subject,issuer,serial,subject_alt_names,not_before,not_after,days_left,key,"
           "sha256\n";
}

std::string to_csv_line(const inventory::CertificateRecord& record, core::TimePoint now) {
    return fmt::format("{},{},{},{},{},{},{},{},{},{},{},{}\n",
                       csv_field(record.path),
                       csv_field(record.location),
                       record.format,
                       csv_field(record.subject),
                       csv_field(record.issuer),
                       record.serial_hex,
                       csv_field(join(record.subject_alt_names, ";")),
                       pki::format_time(record.not_before),
                       pki::format_time(record.not_after),
                       inventory::days_left(record, now),
                       csv_field(record.key_description),
                       record.sha256);
}

std::string table_header(bool with_drift) {
    return fmt::format("{:>6}  {:<10}  {:<32}  {:<24}  {:<10}  {}{}\n",
                       "DAYS",
                       "NOT_AFTER",
                       "SUBJECT",
                       "ISSUER",
                       "KEY",
                       with_drift ? fmt::format("{:<8}  ", "DRIFT") : std::string{},
                       "WHERE");
}

std::string to_table_row(const inventory::CertificateRecord& record, core::TimePoint now) {
    const std::string subject =
        record.subject_common_name.empty() ? record.subject : record.subject_common_name;
    const std::string issuer = record.issuer_common_name.empty() ? record.issuer : record.issuer_common_name;
    return fmt::format(
        "{:>6}  {:<10}  {:<32}  {:<24}  {:<10}  {}{}\n",
        inventory::days_left(record, now),
        pki::format_time(record.not_after).substr(0, 10),
        shortened(subject, 32),
        shortened(issuer, 24),
        record.key_description,
        record.drift ? fmt::format("{:<8}  ", inventory::drift_label(*record.drift)) : std::string{},
        record.location);
}

nlohmann::json to_json(const inventory::EndpointReport& report, core::TimePoint now) {
    nlohmann::json chain = nlohmann::json::array();
    for (const auto& record : report.chain) {
        chain.push_back(to_json(record, now));
    }
    nlohmann::json findings = nlohmann::json::array();
    for (const pki::Finding& finding : report.findings) {
        findings.push_back({{"code", pki::to_string(finding.code)},
                            {"certificate",
                             finding.certificate_index ? nlohmann::json(*finding.certificate_index)
                                                       : nlohmann::json(nullptr)},
                            {"message", finding.message}});
    }
    return {{"endpoint", report.endpoint},
            {"address", report.address},
            {"protocol", report.protocol},
            {"cipher", report.cipher},
            {"verified", report.verified},
            {"verify_error", report.verify_error},
            {"findings", findings},
            {"host", report.checked_host},
            {"host_matches", report.host_matches},
            {"days_left", inventory::days_left(report.chain.front(), now)},
            {"chain", chain}};
}

std::string to_text(const inventory::EndpointReport& report, core::TimePoint now) {
    const auto& leaf = report.chain.front();
    std::string out = fmt::format("{} ({})\n", report.endpoint, report.address);
    out += fmt::format("  protocol: {} {}\n", report.protocol, report.cipher);
    out += fmt::format("  verified: {}\n", report.verified ? "yes" : "NO: " + report.verify_error);
    out += fmt::format(
        "  host {}: {}\n", report.checked_host, report.host_matches ? "matches" : "does NOT match");
    for (const pki::Finding& finding : report.findings) {
        out += fmt::format("  finding {}: {}\n", pki::to_string(finding.code), finding.message);
    }
    out += fmt::format("  expires: {} ({})\n",
                       pki::format_time(leaf.not_after),
                       remaining_text(leaf.not_before, leaf.not_after, now));
    out += fmt::format("  chain ({} certificates):\n", report.chain.size());
    for (std::size_t i = 0; i < report.chain.size(); ++i) {
        const auto& record = report.chain[i];
        out += fmt::format("    {} subject: {}\n", i, record.subject);
        out += fmt::format("      issuer: {}\n", record.issuer);
        out += fmt::format("      not after: {} ({} days left), key {}, sha256 {}\n",
                           pki::format_time(record.not_after),
                           inventory::days_left(record, now),
                           record.key_description,
                           record.sha256);
        if (record.drift) {
            out += fmt::format("      drift: {}\n", drift_text(*record.drift));
        }
    }
    return out;
}

}  // namespace certfleet::cli
