#include "puppet_ca/certificate_request.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace certfleet::puppet_ca {

using core::Error;
using core::ErrorCode;

void require_valid_certname(std::string_view certname) {
    const bool valid =
        !certname.empty() && certname.size() <= 255 &&
        std::all_of(certname.begin(), certname.end(), [](char c) {
            return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
        });
    if (!valid) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("Certname \"{}\" must not contain unprintable or non-ASCII characters, upper "
                                "case letters or anything but letters, digits, '.', '-' and '_'",
                                certname));
    }
}

void check_agent_csr(const pki::Csr& csr, std::string_view certname, const CsrRules& rules) {
    if (!csr.has_valid_signature()) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("CSR contains a public key that does not correspond to the signing key: {}",
                                certname));
    }
    const std::string common_name = csr.subject_common_name();
    if (common_name != certname) {
        throw Error(
            ErrorCode::invalid_input,
            fmt::format(R"(Instance name "{}" does not match requested key "{}")", common_name, certname));
    }
    if (rules.allow_subject_alt_names) {
        return;
    }
    for (const pki::GeneralName& name : csr.subject_alt_names()) {
        if (name.kind != pki::GeneralName::Kind::dns || name.value != certname) {
            throw Error(
                ErrorCode::invalid_input,
                fmt::format("CSR '{}' contains subject alternative names ({}), which are disallowed. "
                            "To allow subject alternative names, set puppet_ca.allow_subject_alt_names "
                            "in the server configuration",
                            certname,
                            pki::to_string(name)));
        }
    }
}

}  // namespace certfleet::puppet_ca
