#include "enrollment/token_enrollment.hpp"

#include "authority/profile.hpp"
#include "core/error.hpp"
#include "core/utc_time.hpp"
#include "store/audit_log.hpp"
#include "store/token_records.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::enrollment {
namespace {

using core::Error;
using core::ErrorCode;

// Audit entries and refusals name a token by the first 12 hex digits of its hash: enough to find its
// row, nothing that could be replayed.
std::string token_label(const std::string& hash) {
    return "token:" + hash.substr(0, 12);
}

}  // namespace

NewToken create_token(store::Store& store, const TokenSpec& spec, core::TimePoint now) {
    if (spec.names.empty()) {
        throw Error(ErrorCode::invalid_input, "names: a token grants at least one name");
    }
    if (spec.ttl.count() <= 0) {
        throw Error(ErrorCode::invalid_input, "ttl: must be positive");
    }
    const auto authority = store.find_authority(spec.authority);
    if (!authority) {
        throw Error(ErrorCode::not_found, fmt::format("no authority \"{}\"", spec.authority));
    }
    // An unknown profile throws here, naming it, rather than at the node's first enrollment.
    static_cast<void>(authority::parse_profiles(authority->profiles_yaml,
                                                fmt::format("authority \"{}\" profiles", spec.authority))
                          .find(spec.profile));
    NewToken token = generate_token();
    std::vector<std::string> names;
    names.reserve(spec.names.size());
    for (const pki::GeneralName& name : spec.names) {
        names.push_back(pki::to_string(name));
    }
    const store::EnrollmentTokenRecord record{.hash = token.hash,
                                              .authority = spec.authority,
                                              .names = names,
                                              .profile = spec.profile,
                                              .created_at = now,
                                              .expires_at = core::add_checked(now, spec.ttl, "ttl"),
                                              .created_by = spec.created_by};
    store.commit([&](store::Transaction& tx) {
        store::insert_enrollment_token(tx, record);
        std::string granted;
        for (const std::string& name : names) {
            granted += (granted.empty() ? "" : ", ") + name;
        }
        store::append_audit(
            tx,
            {.at = now,
             .actor = spec.created_by,
             .action = "token.create",
             .target = token_label(token.hash),
             .outcome = fmt::format("ok: {} until {}", granted, core::format_time(record.expires_at)),
             .authority = spec.authority});
    });
    return token;
}

std::vector<pki::GeneralName> requested_names(const pki::Csr& csr) {
    std::vector<pki::GeneralName> names;
    const std::string cn = csr.subject_common_name();
    if (!cn.empty() && cn.find(' ') == std::string::npos) {
        try {
            pki::GeneralName name = pki::parse_general_name(cn, "commonName");
            if (name.kind == pki::GeneralName::Kind::dns || name.kind == pki::GeneralName::Kind::ip) {
                names.push_back(std::move(name));
            }
        } catch (const Error&) {
            // a commonName that is not a host name is not a name the certificate will carry
        }
    }
    for (pki::GeneralName& name : csr.subject_alt_names()) {
        if (std::find(names.begin(), names.end(), name) == names.end()) {
            names.push_back(std::move(name));
        }
    }
    return names;
}

authority::IssuedCertificate enroll_with_token(store::Store& store,
                                               const authority::Authority& ca,
                                               const core::Secret& token,
                                               const pki::Csr& csr,
                                               core::TimePoint now) {
    if (!csr.has_valid_signature()) {
        throw Error(ErrorCode::invalid_input,
                    "csr_pem: the signature does not verify with its own key (altered or corrupt)");
    }
    const std::string hash = hash_token(token.reveal());
    const auto record =
        store.read([&](store::Transaction& tx) { return store::find_enrollment_token(tx, hash); });
    std::optional<TokenGrant> grant;
    if (record && record->authority == ca.name()) {
        grant =
            TokenGrant{.hash = record->hash, .expires_at = record->expires_at, .used_at = record->used_at};
        for (const std::string& name : record->names) {
            grant->names.push_back(pki::parse_general_name(name, "enrollment_tokens.names"));
        }
    }
    const TokenDecision decision = judge_token_use(grant, requested_names(csr), now);
    const std::string label = token_label(hash);
    if (decision.verdict != TokenVerdict::accepted) {
        store.append_audit({.at = now,
                            .actor = label,
                            .action = "token.use",
                            .target = csr.subject(),
                            .outcome = "refused: " + decision.message,
                            .authority = ca.name()});
        throw Error(ErrorCode::forbidden, decision.message);
    }
    authority::IssueRequest request{.csr = &csr,
                                    .profile = record->profile,
                                    .requester = label,
                                    .authorisation = {.basis = label, .names = grant->names}};
    request.also_with_record = [&](store::Transaction& tx, const store::CertificateRecord& issued) {
        if (!store::consume_enrollment_token(tx, hash, now, issued.serial_hex)) {
            throw Error(ErrorCode::forbidden, "token: already used (by a request at the same time)");
        }
    };
    return ca.issue(request, now);
}

}  // namespace certfleet::enrollment
