#include "puppet_ca/certificate_status.hpp"

#include "core/error.hpp"
#include "core/utc_time.hpp"
#include "pki/fingerprint.hpp"
#include "pki/openssl_handles.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>

#include <array>

namespace certfleet::puppet_ca {
namespace {

using core::Error;
using core::ErrorCode;

// puppetserver writes times as "yyyy-MM-dd'T'HH:mm:ssz": 2026-12-01T01:00:00UTC.
std::string puppet_time(core::TimePoint at) {
    std::string text = core::format_time(at);
    if (!text.empty() && text.back() == 'Z') {
        text.pop_back();
    }
    return text + "UTC";
}

// Colon-separated upper-case hex of the SHA-512 of `der` (pki/fingerprint has SHA-1 and SHA-256 only).
std::string sha512_fingerprint(const pki::Bytes& der) {
    static constexpr std::string_view digits = "0123456789ABCDEF";
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int size = 0;
    if (EVP_Digest(der.data(), der.size(), md.data(), &size, EVP_sha512(), nullptr) != 1) {
        pki::throw_openssl_error(ErrorCode::internal, "SHA-512 digest failed");
    }
    std::string out;
    for (unsigned int i = 0; i < size; ++i) {
        out += (i == 0 ? "" : ":");
        out += digits[md.at(i) >> 4U];
        out += digits[md.at(i) & 0x0fU];
    }
    return out;
}

std::string decimal_serial(const std::string& serial_hex) {
    BIGNUM* raw = nullptr;
    if (BN_hex2bn(&raw, serial_hex.c_str()) == 0) {
        throw Error(ErrorCode::internal, fmt::format("serial {}: not hexadecimal", serial_hex));
    }
    const pki::BignumPtr serial(raw);
    const pki::OpensslStringPtr text(BN_bn2dec(serial.get()));
    if (!text) {
        pki::throw_openssl_error(ErrorCode::internal, "serial to decimal");
    }
    return text.get();
}

// The placeholder stands for the serial number while nlohmann writes the object: it holds no integer
// wider than 64 bits, and serials have up to 159.
constexpr std::string_view serial_placeholder = R"("serial_number":"@serial@")";

}  // namespace

std::string_view to_string(CertificateState state) noexcept {
    switch (state) {
        case CertificateState::requested:
            return "requested";
        case CertificateState::signed_:
            return "signed";
        case CertificateState::revoked:
            return "revoked";
    }
    return "requested";
}

CertificateState parse_desired_state(std::string_view body, std::string_view certname) {
    const nlohmann::json parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_object()) {
        throw Error(ErrorCode::invalid_input,
                    "Request body is not valid JSON: {\"desired_state\":...} expected");
    }
    const auto found = parsed.find("desired_state");
    if (found == parsed.end()) {
        throw Error(ErrorCode::invalid_input, "Missing required parameter \"desired_state\"");
    }
    const std::string desired = found->is_string() ? found->get<std::string>() : found->dump();
    if (desired == "signed") {
        return CertificateState::signed_;
    }
    if (desired == "revoked") {
        return CertificateState::revoked;
    }
    throw Error(
        ErrorCode::invalid_input,
        fmt::format("State {} invalid; Must specify desired state of 'signed' or 'revoked' for host {}.",
                    desired,
                    certname));
}

std::string status_json(const CertificateStatus& status) {
    const std::string sha256 = pki::fingerprint(pki::DigestAlgorithm::sha256, status.der);
    nlohmann::json dns = nlohmann::json::array();
    for (const std::string& name : status.subject_alt_names) {
        if (name.rfind("DNS:", 0) == 0) {
            dns.push_back(name);
        }
    }
    nlohmann::json out{{"name", status.name},
                       {"state", to_string(status.state)},
                       {"fingerprint", sha256},
                       {"fingerprints",
                        {{"SHA1", pki::fingerprint(pki::DigestAlgorithm::sha1, status.der)},
                         {"SHA256", sha256},
                         {"SHA512", sha512_fingerprint(status.der)},
                         {"default", sha256}}},
                       {"dns_alt_names", dns},
                       {"subject_alt_names", status.subject_alt_names},
                       {"authorization_extensions", nlohmann::json::object()}};
    if (status.not_before && status.not_after) {
        out["not_before"] = puppet_time(*status.not_before);
        out["not_after"] = puppet_time(*status.not_after);
    }
    if (status.serial_hex.empty()) {
        return out.dump();
    }
    out["serial_number"] = "@serial@";
    std::string text = out.dump();
    const std::size_t at = text.find(serial_placeholder);
    if (at != std::string::npos) {
        text.replace(at, serial_placeholder.size(), "\"serial_number\":" + decimal_serial(status.serial_hex));
    }
    return text;
}

std::string statuses_json(const std::vector<CertificateStatus>& statuses) {
    std::string out = "[";
    for (const CertificateStatus& status : statuses) {
        out += (out.size() > 1 ? "," : "") + status_json(status);
    }
    return out + "]";
}

}  // namespace certfleet::puppet_ca
