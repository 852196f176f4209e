#include "authority/ledger.hpp"

#include "core/error.hpp"
#include "pki/object_reader.hpp"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/x509.h>

namespace certfleet::authority {
namespace {

store::AuthorityRecord existing(store::Store& store, std::string_view authority) {
    auto record = store.find_authority(authority);
    if (!record) {
        throw core::Error(core::ErrorCode::not_found,
                          fmt::format("no authority \"{}\" in the store", authority));
    }
    return std::move(*record);
}

// Worse is later in this order.
int severity(CrlHealth health) noexcept {
    switch (health) {
        case CrlHealth::fresh:
            return 0;
        case CrlHealth::due:
            return 1;
        case CrlHealth::missing:
            return 2;
        case CrlHealth::expired:
            return 3;
    }
    return 0;
}

}  // namespace

std::optional<store::CertificateRecord> Ledger::find(std::string_view serial_hex) {
    return m_store->find_certificate(serial_hex);
}

std::vector<store::CertificateRecord> Ledger::list(const store::CertificateFilter& filter) {
    return m_store->list_certificates(filter);
}

store::CertificateRecord Ledger::revoke(std::string_view authority,
                                        std::string_view serial_hex,
                                        RevocationReason reason,
                                        const store::Actor& actor) {
    static_cast<void>(existing(*m_store, authority));
    return m_store->revoke_certificate(authority, serial_hex, to_string(reason), actor);
}

void Ledger::import_root_crl(std::string_view authority, const pki::Crl& crl, const store::Actor& actor) {
    const store::AuthorityRecord record = existing(*m_store, authority);
    const store::IssuerRecord& issuer = record.active_issuer();
    const auto chain = pki::read_certificates(issuer.chain_pem, "issuer chain");
    if (chain.size() < 2) {
        throw core::Error(
            core::ErrorCode::invalid_input,
            fmt::format("authority \"{}\" has no separate root: its own CRL is made by `crl generate`",
                        authority));
    }
    const pki::Certificate& root = chain.back();
    if (X509_CRL_verify(crl.get(), root.public_key().evp()) != 1) {
        ERR_clear_error();
        throw core::Error(
            core::ErrorCode::invalid_input,
            fmt::format("crl: not signed by the root of authority \"{}\" ({})", authority, root.subject()));
    }
    const auto number_text = crl.crl_number();
    const auto next = crl.next_update();
    if (!number_text || !next) {
        throw core::Error(core::ErrorCode::invalid_input,
                          "crl: a CRL without cRLNumber or nextUpdate cannot be served");
    }
    try {
        m_store->record_crl({.authority = record.name,
                             .issuer_id = issuer.id,
                             .signer = store::CrlSigner::root,
                             .number = std::stoll(*number_text),
                             .this_update = crl.this_update(),
                             .next_update = *next,
                             .der = crl.der()},
                            actor);
    } catch (const core::Error& e) {
        if (e.code() == core::ErrorCode::conflict) {
            throw core::Error(core::ErrorCode::invalid_input, fmt::format("crl: {}", e.what()));
        }
        throw;
    }
}

CrlHealth Ledger::crl_health(std::string_view authority, core::TimePoint now) {
    const store::AuthorityRecord record = existing(*m_store, authority);
    CrlHealth worst = CrlHealth::fresh;
    for (const store::IssuerRecord& issuer : record.issuers) {
        if (issuer.state == store::IssuerState::retired) {
            continue;
        }
        const bool has_revocations =
            !m_store
                 ->list_certificates({.authority = record.name, .issuer_id = issuer.id, .revoked_only = true})
                 .empty();
        const CrlHealth health = judge_crl(m_store->latest_crl(issuer.id), has_revocations, now);
        if (severity(health) > severity(worst)) {
            worst = health;
        }
    }
    return worst;
}

}  // namespace certfleet::authority
