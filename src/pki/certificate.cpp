#include "pki/certificate.hpp"

#include "pki/distinguished_name.hpp"
#include "pki/pem_reader.hpp"
#include "pki/structure_only_context.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

#include <array>
#include <ctime>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;

std::string octets_hex(const ASN1_OCTET_STRING* s) {
    if (s == nullptr) {
        return {};
    }
    return to_hex(ASN1_STRING_get0_data(s), static_cast<std::size_t>(ASN1_STRING_length(s)), ":");
}

// Returns the decoded extension `nid` owned by `Ptr`, or an empty Ptr when absent or malformed.
template <class Ptr>
Ptr extension(const X509* x, int nid, int* critical = nullptr) {
    Ptr out(static_cast<typename Ptr::pointer>(X509_get_ext_d2i(x, nid, critical, nullptr)));
    ERR_clear_error();
    return out;
}

}  // namespace

core::TimePoint to_time_point(const ASN1_TIME* time, std::string_view field) {
    std::tm tm{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
        ERR_clear_error();
        throw Error(ErrorCode::invalid_input, fmt::format("{}: not a valid ASN.1 time", field));
    }
    return core::from_civil({.year = tm.tm_year + 1900,
                             .month = tm.tm_mon + 1,
                             .day = tm.tm_mday,
                             .hour = tm.tm_hour,
                             .minute = tm.tm_min,
                             .second = tm.tm_sec},
                            field);
}

Certificate Certificate::from_der(Bytes der, std::string_view source) {
    X509Ptr x(reinterpret_cast<X509*>(parse_structure(ASN1_ITEM_rptr(X509), der.data(), der.size())));
    if (!x) {
        throw_openssl_error(ErrorCode::invalid_input, fmt::format("{}: not a valid DER certificate", source));
    }
    ERR_clear_error();  // parsing in the structure-only context leaves "no decoder" notes behind
    // The dates are checked here, where the file is known: read later, a bad one could only say
    // "invalid time value" without saying whose.
    std::tm tm{};
    for (const auto& [field, time] : {std::pair{"notBefore", X509_get0_notBefore(x.get())},
                                      std::pair{"notAfter", X509_get0_notAfter(x.get())}}) {
        if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
            ERR_clear_error();
            throw Error(ErrorCode::invalid_input, fmt::format("{}: {}: invalid time value", source, field));
        }
    }
    return {std::move(der), std::move(x)};
}

Certificate Certificate::from_pem(std::string_view pem, std::string_view source) {
    for (PemBlock& block : read_pem_blocks(pem, source)) {
        if (block.label == "CERTIFICATE" || block.label == "X509 CERTIFICATE" ||
            block.label == "TRUSTED CERTIFICATE") {
            return from_der(std::move(block.der), fmt::format("{}: block {}", source, block.index));
        }
    }
    throw Error(ErrorCode::invalid_input, fmt::format("{}: no certificate found", source));
}

Certificate Certificate::from_x509(X509Ptr x509) {
    unsigned char* der = nullptr;
    const int len = i2d_X509(x509.get(), &der);
    if (len <= 0) {
        throw_openssl_error(ErrorCode::internal, "cannot encode certificate");
    }
    const OpensslBytesPtr owned(der);
    if (X509_up_ref(x509.get()) != 1) {
        throw_openssl_error(ErrorCode::internal, "cannot share certificate");
    }
    Certificate out(Bytes(der, der + len), X509Ptr(x509.get()));
    out.m_full = std::move(x509);
    return out;
}

Certificate Certificate::clone() const {
    if (X509_up_ref(m_structure.get()) != 1) {
        throw_openssl_error(ErrorCode::internal, "cannot share certificate");
    }
    Certificate out(m_der, X509Ptr(m_structure.get()));
    if (m_full) {
        if (X509_up_ref(m_full.get()) != 1) {
            throw_openssl_error(ErrorCode::internal, "cannot share certificate");
        }
        out.m_full.reset(m_full.get());
    }
    return out;
}

X509Ptr Certificate::share_x509() const {
    X509* full = x509();
    if (X509_up_ref(full) != 1) {
        throw_openssl_error(ErrorCode::internal, "cannot share certificate");
    }
    return X509Ptr(full);
}

X509* Certificate::x509() const {
    if (!m_full) {
        const unsigned char* p = m_der.data();
        m_full.reset(d2i_X509(nullptr, &p, static_cast<long>(m_der.size())));
        if (!m_full) {
            throw_openssl_error(ErrorCode::invalid_input, "cannot decode certificate");
        }
    }
    return m_full.get();
}

std::string Certificate::pem() const {
    return write_pem("CERTIFICATE", m_der);
}
std::string Certificate::subject() const {
    return format_name(X509_get_subject_name(m_structure.get()));
}
std::string Certificate::issuer() const {
    return format_name(X509_get_issuer_name(m_structure.get()));
}
std::string Certificate::subject_common_name() const {
    return common_name(X509_get_subject_name(m_structure.get()));
}
std::string Certificate::issuer_common_name() const {
    return common_name(X509_get_issuer_name(m_structure.get()));
}

std::string Certificate::serial_hex() const {
    const ASN1_INTEGER* serial = X509_get0_serialNumber(m_structure.get());
    const std::string hex =
        to_hex(ASN1_STRING_get0_data(serial), static_cast<std::size_t>(ASN1_STRING_length(serial)));
    return ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER ? "-" + hex : hex;
}

core::TimePoint Certificate::not_before() const {
    return to_time_point(X509_get0_notBefore(m_structure.get()), "notBefore");
}
core::TimePoint Certificate::not_after() const {
    return to_time_point(X509_get0_notAfter(m_structure.get()), "notAfter");
}

std::vector<GeneralName> Certificate::subject_alt_names() const {
    const auto names = extension<GeneralNamesPtr>(m_structure.get(), NID_subject_alt_name);
    return names ? read_general_names(names.get()) : std::vector<GeneralName>{};
}

std::vector<std::string> Certificate::key_usage() const {
    const auto bits = extension<Asn1BitStringPtr>(m_structure.get(), NID_key_usage);
    ERR_clear_error();
    std::vector<std::string> out;
    if (bits) {
        for (std::size_t i = 0; i < key_usage_names.size(); ++i) {
            if (ASN1_BIT_STRING_get_bit(bits.get(), static_cast<int>(i)) == 1) {
                out.emplace_back(key_usage_names.at(i));
            }
        }
    }
    return out;
}

std::vector<ExtendedKeyUsage> Certificate::extended_key_usage() const {
    const auto eku = extension<ExtendedKeyUsagePtr>(m_structure.get(), NID_ext_key_usage);
    ERR_clear_error();
    std::vector<ExtendedKeyUsage> out;
    if (!eku) {
        return out;
    }
    for (int i = 0; i < sk_ASN1_OBJECT_num(eku.get()); ++i) {
        const ASN1_OBJECT* oid = sk_ASN1_OBJECT_value(eku.get(), i);
        const int nid = OBJ_obj2nid(oid);
        std::array<char, 80> text{};
        OBJ_obj2txt(text.data(), static_cast<int>(text.size()), oid, 1);
        if (nid == NID_undef) {
            out.push_back({text.data(), text.data()});
        } else {
            out.push_back({OBJ_nid2sn(nid), OBJ_nid2ln(nid)});
        }
    }
    return out;
}

std::optional<BasicConstraints> Certificate::basic_constraints() const {
    int critical = 0;
    const auto bc = extension<BasicConstraintsPtr>(m_structure.get(), NID_basic_constraints, &critical);
    ERR_clear_error();
    if (!bc) {
        return std::nullopt;
    }
    BasicConstraints out{.is_ca = bc->ca != 0, .path_length = std::nullopt, .critical = critical == 1};
    if (bc->pathlen != nullptr) {
        out.path_length = ASN1_INTEGER_get(bc->pathlen);
    }
    return out;
}

bool Certificate::is_ca() const {
    const auto bc = basic_constraints();
    return bc && bc->is_ca;
}

std::string Certificate::signature_algorithm() const {
    const int nid = X509_get_signature_nid(m_structure.get());
    return nid == NID_undef ? "unknown" : OBJ_nid2ln(nid);
}

PublicKey Certificate::public_key() const {
    const X509_PUBKEY* spki = X509_get_X509_PUBKEY(m_structure.get());
    unsigned char* der = nullptr;
    const int len = i2d_X509_PUBKEY(spki, &der);
    if (len <= 0) {
        throw_openssl_error(ErrorCode::invalid_input, "cannot encode the certificate's public key");
    }
    const OpensslBytesPtr owned(der);
    return PublicKey::from_spki_der(Bytes(der, der + len), "certificate public key");
}

KeyDescription Certificate::key_description() const {
    return describe_spki(X509_get_X509_PUBKEY(m_structure.get()));
}

std::string Certificate::fingerprint(DigestAlgorithm algorithm) const {
    return pki::fingerprint(algorithm, m_der);
}

std::string Certificate::subject_key_id() const {
    return octets_hex(X509_get0_subject_key_id(m_structure.get()));
}

std::string Certificate::authority_key_id() const {
    return octets_hex(X509_get0_authority_key_id(m_structure.get()));
}

bool Certificate::is_self_signed() const {
    if (X509_NAME_cmp(X509_get_subject_name(m_structure.get()), X509_get_issuer_name(m_structure.get())) !=
        0) {
        return false;
    }
    return is_issued_by(*this);
}

bool Certificate::is_issued_by(const Certificate& issuer) const {
    if (X509_NAME_cmp(X509_get_subject_name(issuer.m_structure.get()),
                      X509_get_issuer_name(m_structure.get())) != 0) {
        return false;
    }
    try {
        const bool ok = X509_verify(x509(), issuer.public_key().evp()) == 1;
        ERR_clear_error();
        return ok;
    } catch (const Error&) {
        return false;
    }
}

bool Certificate::matches_host(std::string_view host) const {
    const std::string name(host);
    int ok = X509_check_ip_asc(m_structure.get(), name.c_str(), 0);
    if (ok == -2) {  // not an IP address
        ok = X509_check_host(
            m_structure.get(), name.data(), name.size(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr);
    }
    ERR_clear_error();
    return ok == 1;
}

}  // namespace certfleet::pki
