#include "pki/crl.hpp"

#include "pki/certificate.hpp"
#include "pki/distinguished_name.hpp"
#include "pki/pem_reader.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

#include <array>

namespace certfleet::pki {

Crl Crl::from_der(const Bytes& der, std::string_view source) {
    const unsigned char* p = der.data();
    X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, static_cast<long>(der.size())));
    if (!crl || p != der.data() + der.size()) {
        throw_openssl_error(core::ErrorCode::invalid_input, fmt::format("{}: not a valid DER CRL", source));
    }
    return Crl(std::move(crl));
}

Bytes Crl::der() const {
    unsigned char* der = nullptr;
    const int len = i2d_X509_CRL(m_crl.get(), &der);
    if (len <= 0) {
        throw_openssl_error(core::ErrorCode::internal, "cannot encode CRL");
    }
    const OpensslBytesPtr owned(der);
    return {der, der + len};
}

std::string Crl::pem() const {
    return write_pem("X509 CRL", der());
}
std::string Crl::issuer() const {
    return format_name(X509_CRL_get_issuer(m_crl.get()));
}
core::TimePoint Crl::this_update() const {
    return to_time_point(X509_CRL_get0_lastUpdate(m_crl.get()));
}

std::optional<core::TimePoint> Crl::next_update() const {
    const ASN1_TIME* next = X509_CRL_get0_nextUpdate(m_crl.get());
    if (next == nullptr) {
        return std::nullopt;
    }
    return to_time_point(next);
}

std::optional<std::string> Crl::crl_number() const {
    const Asn1IntegerPtr number(
        static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(m_crl.get(), NID_crl_number, nullptr, nullptr)));
    ERR_clear_error();
    if (!number) {
        return std::nullopt;
    }
    const BignumPtr bn(ASN1_INTEGER_to_BN(number.get(), nullptr));
    const OpensslStringPtr text(bn ? BN_bn2dec(bn.get()) : nullptr);
    if (!text) {
        return std::nullopt;
    }
    return std::string(text.get());
}

std::vector<RevokedEntry> Crl::revoked() const {
    std::vector<RevokedEntry> out;
    const STACK_OF(X509_REVOKED)* entries = X509_CRL_get_REVOKED(m_crl.get());
    for (int i = 0; i < sk_X509_REVOKED_num(entries); ++i) {
        const X509_REVOKED* entry = sk_X509_REVOKED_value(entries, i);
        const ASN1_INTEGER* serial = X509_REVOKED_get0_serialNumber(entry);
        RevokedEntry item;
        item.serial_hex =
            to_hex(ASN1_STRING_get0_data(serial), static_cast<std::size_t>(ASN1_STRING_length(serial)));
        item.revoked_at = to_time_point(X509_REVOKED_get0_revocationDate(entry));
        const Asn1EnumeratedPtr reason(
            static_cast<ASN1_ENUMERATED*>(X509_REVOKED_get_ext_d2i(entry, NID_crl_reason, nullptr, nullptr)));
        ERR_clear_error();
        if (reason) {
            // RFC 5280 5.3.1 CRLReason values; 7 is unused.
            static constexpr std::array<std::string_view, 11> names = {"unspecified",
                                                                       "keyCompromise",
                                                                       "cACompromise",
                                                                       "affiliationChanged",
                                                                       "superseded",
                                                                       "cessationOfOperation",
                                                                       "certificateHold",
                                                                       "",
                                                                       "removeFromCRL",
                                                                       "privilegeWithdrawn",
                                                                       "aACompromise"};
            const long code = ASN1_ENUMERATED_get(reason.get());
            item.reason = code >= 0 && code < static_cast<long>(names.size())
                              ? std::string(names.at(static_cast<std::size_t>(code)))
                              : "";
        }
        out.push_back(std::move(item));
    }
    return out;
}

std::string Crl::signature_algorithm() const {
    const int nid = X509_CRL_get_signature_nid(m_crl.get());
    return nid == NID_undef ? "unknown" : OBJ_nid2ln(nid);
}

}  // namespace certfleet::pki
