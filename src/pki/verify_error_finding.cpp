#include "pki/verify_error_finding.hpp"

#include <fmt/format.h>
#include <openssl/x509_vfy.h>

namespace certfleet::pki {
namespace {

using core::ErrorCode;

std::string date_of(core::TimePoint at) {
    return format_time(at).substr(0, 10);
}

std::string join(const std::vector<std::string>& parts) {
    std::string out;
    for (const std::string& part : parts) {
        out += (out.empty() ? "" : ", ") + part;
    }
    return out;
}

std::string names_of(const Certificate& certificate) {
    std::vector<std::string> names;
    for (const GeneralName& name : certificate.subject_alt_names()) {
        names.push_back(to_string(name));
    }
    if (names.empty()) {
        return "no subjectAltName";
    }
    return "it names " + join(names);
}

std::string usages_of(const Certificate& certificate) {
    std::vector<std::string> ekus;
    for (const ExtendedKeyUsage& eku : certificate.extended_key_usage()) {
        ekus.push_back(eku.short_name);
    }
    const std::vector<std::string> usages = certificate.key_usage();
    return fmt::format("extendedKeyUsage: {}; keyUsage: {}",
                       ekus.empty() ? "none" : join(ekus),
                       usages.empty() ? "none" : join(usages));
}

// The part of the message after "cert N (CN=...): ".
std::string detail_for(int error,
                       const Certificate* certificate,
                       const VerifyOptions& options,
                       Purpose purpose) {
    const FindingCode code = finding_code_for_verify_error(error);
    if (certificate != nullptr) {
        switch (code) {
            case FindingCode::expired:
                return "expired " + date_of(certificate->not_after());
            case FindingCode::not_yet_valid:
                return "not valid before " + date_of(certificate->not_before());
            case FindingCode::host_mismatch:
                return fmt::format("not valid for host \"{}\" ({})", options.host, names_of(*certificate));
            case FindingCode::ip_mismatch:
                return fmt::format("not valid for IP address {} ({})", options.ip, names_of(*certificate));
            case FindingCode::purpose_mismatch:
                return fmt::format(
                    "not valid for purpose {} ({})", to_string(purpose), usages_of(*certificate));
            case FindingCode::chain_incomplete:
                return fmt::format("chain incomplete: no issuer found for \"{}\"", certificate->issuer());
            default:
                break;
        }
    }
    return X509_verify_cert_error_string(error);
}

}  // namespace

Finding finding_for_verify_error(int error,
                                 int depth,
                                 X509* current,
                                 const std::vector<Certificate>& chain,
                                 const VerifyOptions& options,
                                 Purpose purpose) {
    Finding finding{.code = finding_code_for_verify_error(error)};
    if (depth >= 0) {
        finding.certificate_index = static_cast<std::size_t>(depth);
    }
    // Chain-wide errors (policy) come without a current certificate: name the one at the error depth.
    X509* x = current;
    if (x == nullptr && finding.certificate_index && *finding.certificate_index < chain.size()) {
        x = chain[*finding.certificate_index].x509();
    }
    if (x == nullptr) {
        finding.message = detail_for(error, nullptr, options, purpose);
        return finding;
    }
    if (X509_up_ref(x) != 1) {
        throw_openssl_error(ErrorCode::internal, "cannot share certificate");
    }
    const Certificate certificate = Certificate::from_x509(X509Ptr(x));
    const std::string subject = finding.certificate_index
                                    ? describe_certificate(*finding.certificate_index, certificate)
                                    : certificate.subject();
    finding.message = fmt::format("{}: {}", subject, detail_for(error, &certificate, options, purpose));
    return finding;
}

}  // namespace certfleet::pki
