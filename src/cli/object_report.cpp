#include "cli/object_report.hpp"

#include "pki/certificate.hpp"

#include <fmt/format.h>

#include <array>

namespace certfleet::cli {
namespace {

using nlohmann::json;

json key_json(const pki::KeyDescription& key) {
    json out = {{"algorithm", key.algorithm}, {"bits", key.bits}};
    out["curve"] = key.curve.empty() ? json(nullptr) : json(key.curve);
    return out;
}

std::vector<std::string> san_strings(const std::vector<pki::GeneralName>& names) {
    std::vector<std::string> out;
    out.reserve(names.size());
    for (const auto& name : names) {
        out.push_back(pki::to_string(name));
    }
    return out;
}

json certificate_json(const pki::Certificate& cert, core::TimePoint now) {
    json out;
    out["subject"] = cert.subject();
    out["issuer"] = cert.issuer();
    out["serial"] = cert.serial_hex();
    out["subject_alt_names"] = san_strings(cert.subject_alt_names());
    out["key"] = key_json(cert.key_description());
    out["signature_algorithm"] = cert.signature_algorithm();
    const auto not_before = cert.not_before();
    const auto not_after = cert.not_after();
    out["not_before"] = pki::format_time(not_before);
    out["not_after"] = pki::format_time(not_after);
    out["days_remaining"] = days_until(not_after, now);
    out["expired"] = now > not_after;
    out["not_yet_valid"] = now < not_before;
    out["fingerprints"] = {{"sha1", cert.fingerprint(pki::DigestAlgorithm::sha1)},
                           {"sha256", cert.fingerprint(pki::DigestAlgorithm::sha256)}};
    out["key_usage"] = cert.key_usage();
    json eku = json::array();
    for (const auto& usage : cert.extended_key_usage()) {
        eku.push_back({{"name", usage.short_name}, {"description", usage.long_name}});
    }
    out["extended_key_usage"] = eku;
    if (const auto bc = cert.basic_constraints()) {
        out["basic_constraints"] = {{"ca", bc->is_ca},
                                    {"path_length", bc->path_length ? json(*bc->path_length) : json(nullptr)},
                                    {"critical", bc->critical}};
    } else {
        out["basic_constraints"] = nullptr;
    }
    out["subject_key_id"] = cert.subject_key_id();
    out["authority_key_id"] = cert.authority_key_id();
    out["self_signed"] = cert.is_self_signed();
    return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) {
            out += separator;
        }
        out += item;
    }
    return out;
}

void line(std::string& out, std::string_view name, std::string_view value) {
    // A label of 20 characters or more ("matches certificate:") still gets a space before its value.
    out += fmt::format("  {:<19} {}\n", fmt::format("{}:", name), value.empty() ? "-" : value);
}

std::string certificate_text(const pki::Certificate& cert, core::TimePoint now) {
    std::string out;
    line(out, "subject", cert.subject());
    line(out, "issuer", cert.issuer());
    line(out, "serial", cert.serial_hex());
    line(out, "names (SAN)", join(san_strings(cert.subject_alt_names()), ", "));
    line(out, "key", pki::to_string(cert.key_description()));
    line(out, "signature", cert.signature_algorithm());
    line(out, "not before", pki::format_time(cert.not_before()));
    line(out,
         "not after",
         fmt::format("{} ({})",
                     pki::format_time(cert.not_after()),
                     remaining_text(cert.not_before(), cert.not_after(), now)));
    line(out, "SHA-1", cert.fingerprint(pki::DigestAlgorithm::sha1));
    line(out, "SHA-256", cert.fingerprint(pki::DigestAlgorithm::sha256));
    line(out, "key usage", join(cert.key_usage(), ", "));
    std::vector<std::string> eku;
    for (const auto& usage : cert.extended_key_usage()) {
        eku.push_back(fmt::format("{} ({})", usage.short_name, usage.long_name));
    }
    line(out, "extended key usage", join(eku, ", "));
    const auto bc = cert.basic_constraints();
    line(out,
         "basic constraints",
         !bc ? ""
             : fmt::format("CA:{}{}{}",
                           bc->is_ca ? "TRUE" : "FALSE",
                           bc->path_length ? fmt::format(", pathlen:{}", *bc->path_length) : "",
                           bc->critical ? " (critical)" : ""));
    line(out, "self-signed", cert.is_self_signed() ? "yes" : "no");
    return out;
}

}  // namespace

long days_until(core::TimePoint until, core::TimePoint now) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(until - now).count();
    // Floor division, so that an hour past expiry is day -1, not day 0.
    return static_cast<long>(seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400));
}

std::string remaining_text(core::TimePoint not_before, core::TimePoint not_after, core::TimePoint now) {
    if (now < not_before) {
        return fmt::format("not valid for {} more days", days_until(not_before, now) + 1);
    }
    if (now > not_after) {
        return fmt::format("expired {} days ago", -days_until(not_after, now));
    }
    return fmt::format("{} days left", days_until(not_after, now));
}

json to_json(const ReportedObject& item, core::TimePoint now) {
    const pki::SourcedObject& sourced = *item.object;
    json out;
    out["source"] = sourced.location;
    out["type"] = pki::kind_of(sourced.object);
    if (const auto* cert = std::get_if<pki::Certificate>(&sourced.object)) {
        out.update(certificate_json(*cert, now));
        out["matching_keys"] = item.matches;
    } else if (const auto* key = std::get_if<pki::PrivateKey>(&sourced.object)) {
        const pki::PublicKey pub = key->public_key();
        out["key"] = key_json(pub.description());
        out["public_key_sha256"] = pub.fingerprint_sha256();
        out["matching_certificates"] = item.matches;
    } else if (const auto* public_key = std::get_if<pki::PublicKey>(&sourced.object)) {
        out["key"] = key_json(public_key->description());
        out["public_key_sha256"] = public_key->fingerprint_sha256();
    } else if (const auto* csr = std::get_if<pki::Csr>(&sourced.object)) {
        const pki::PublicKey pub = csr->public_key();
        out["subject"] = csr->subject();
        out["subject_alt_names"] = san_strings(csr->subject_alt_names());
        out["extended_key_usage"] = csr->requested_extended_key_usage();
        out["key"] = key_json(pub.description());
        out["public_key_sha256"] = pub.fingerprint_sha256();
        out["signature_algorithm"] = csr->signature_algorithm();
        out["signature_valid"] = csr->has_valid_signature();
        out["matching_keys"] = item.matches;
    } else if (const auto* crl = std::get_if<pki::Crl>(&sourced.object)) {
        out["issuer"] = crl->issuer();
        out["this_update"] = pki::format_time(crl->this_update());
        const auto next = crl->next_update();
        out["next_update"] = next ? json(pki::format_time(*next)) : json(nullptr);
        out["days_remaining"] = next ? json(days_until(*next, now)) : json(nullptr);
        const auto number = crl->crl_number();
        out["crl_number"] = number ? json(*number) : json(nullptr);
        json revoked = json::array();
        for (const auto& entry : crl->revoked()) {
            revoked.push_back({{"serial", entry.serial_hex},
                               {"revoked_at", pki::format_time(entry.revoked_at)},
                               {"reason", entry.reason.empty() ? json(nullptr) : json(entry.reason)}});
        }
        out["revoked"] = revoked;
        out["signature_algorithm"] = crl->signature_algorithm();
    }
    return out;
}

std::string to_text(const ReportedObject& item, core::TimePoint now) {
    const pki::SourcedObject& sourced = *item.object;
    std::string out = fmt::format("{}\n", sourced.location);
    line(out, "type", pki::kind_of(sourced.object));
    if (const auto* cert = std::get_if<pki::Certificate>(&sourced.object)) {
        out += certificate_text(*cert, now);
        line(out, "matching key", join(item.matches, "; "));
    } else if (const auto* key = std::get_if<pki::PrivateKey>(&sourced.object)) {
        const pki::PublicKey pub = key->public_key();
        line(out, "key", pki::to_string(pub.description()));
        line(out, "public key SHA-256", pub.fingerprint_sha256());
        line(out, "matches certificate", join(item.matches, "; "));
    } else if (const auto* public_key = std::get_if<pki::PublicKey>(&sourced.object)) {
        line(out, "key", pki::to_string(public_key->description()));
        line(out, "public key SHA-256", public_key->fingerprint_sha256());
    } else if (const auto* csr = std::get_if<pki::Csr>(&sourced.object)) {
        const pki::PublicKey pub = csr->public_key();
        line(out, "subject", csr->subject());
        line(out, "names (SAN)", join(san_strings(csr->subject_alt_names()), ", "));
        line(out, "extended key usage", join(csr->requested_extended_key_usage(), ", "));
        line(out, "key", pki::to_string(pub.description()));
        line(out, "public key SHA-256", pub.fingerprint_sha256());
        line(out,
             "signature",
             fmt::format(
                 "{} ({})", csr->signature_algorithm(), csr->has_valid_signature() ? "valid" : "INVALID"));
        line(out, "matching key", join(item.matches, "; "));
    } else if (const auto* crl = std::get_if<pki::Crl>(&sourced.object)) {
        line(out, "issuer", crl->issuer());
        line(out, "this update", pki::format_time(crl->this_update()));
        const auto next = crl->next_update();
        line(out,
             "next update",
             next ? fmt::format("{} ({} days left)", pki::format_time(*next), days_until(*next, now)) : "");
        line(out, "CRL number", crl->crl_number().value_or(""));
        std::vector<std::string> serials;
        for (const auto& entry : crl->revoked()) {
            serials.push_back(entry.reason.empty() ? entry.serial_hex
                                                   : fmt::format("{} ({})", entry.serial_hex, entry.reason));
        }
        line(out, "revoked", join(serials, ", "));
    }
    return out;
}

}  // namespace certfleet::cli
