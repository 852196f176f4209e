#include "pki/chain_verifier.hpp"

#include "pki/distinguished_name.hpp"

#include <fmt/format.h>
#include <openssl/err.h>

#include <algorithm>
#include <chrono>

namespace certfleet::pki {
namespace {

using core::Error;
using core::ErrorCode;

// Bounds what one verification may report, so a hostile chain cannot grow the list without limit
// (OpenSSL itself bounds chain depth and name-constraint work).
constexpr std::size_t max_errors = 256;

// One error as OpenSSL reported it to the verify callback.
struct RawError {
    int error = X509_V_OK;
    int depth = -1;
    X509Ptr certificate;  // the certificate being checked when the error arose (may be empty)
};

struct ErrorCollector {
    std::vector<RawError> errors;
    bool stopped = false;
};

// The verify callback. Returning 1 tells OpenSSL to carry on past the error, so one run reports every
// problem instead of the first. No exception may cross this C boundary (STYLE.md section 4).
int collect_error(int ok, X509_STORE_CTX* ctx) noexcept {
    if (ok == 1) {
        return 1;
    }
    auto* collector = static_cast<ErrorCollector*>(X509_STORE_CTX_get_app_data(ctx));
    if (collector == nullptr) {
        return 0;
    }
    try {
        X509Ptr current;
        X509* borrowed = X509_STORE_CTX_get_current_cert(ctx);
        if (borrowed != nullptr && X509_up_ref(borrowed) == 1) {
            current.reset(borrowed);
        }
        collector->errors.push_back(
            {X509_STORE_CTX_get_error(ctx), X509_STORE_CTX_get_error_depth(ctx), std::move(current)});
    } catch (...) {
        collector->stopped = true;
        return 0;
    }
    if (collector->errors.size() >= max_errors) {
        collector->stopped = true;
        return 0;
    }
    return 1;
}

int purpose_id(Purpose purpose) {
    switch (purpose) {
        case Purpose::server:
        case Purpose::peer:
            return X509_PURPOSE_SSL_SERVER;
        case Purpose::client:
            return X509_PURPOSE_SSL_CLIENT;
        case Purpose::any:
            break;
    }
    return X509_PURPOSE_ANY;
}

unsigned long verify_flags(const VerifyOptions& options) {
    unsigned long flags = 0;
    if (options.anchors == AnchorRule::any_trusted) {
        flags |= X509_V_FLAG_PARTIAL_CHAIN;
    }
    if (options.strictness == Strictness::strict) {
        flags |= X509_V_FLAG_X509_STRICT;
    }
    if (options.revocation == RevocationCheck::leaf) {
        flags |= X509_V_FLAG_CRL_CHECK;
    } else if (options.revocation == RevocationCheck::chain) {
        flags |= X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL;
    }
    if (options.policies == PolicyCheck::on) {
        flags |= X509_V_FLAG_POLICY_CHECK;
    }
    if (!options.at) {
        flags |= X509_V_FLAG_NO_CHECK_TIME;
    }
    return flags;
}

void configure(X509_STORE_CTX* ctx, const VerifyOptions& options, int purpose) {
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
    // X509_STORE_CTX_set_purpose also picks the purpose's trust setting, as `openssl verify -purpose`.
    if (X509_STORE_CTX_set_purpose(ctx, purpose) != 1 ||
        X509_VERIFY_PARAM_set_flags(param, verify_flags(options)) != 1) {
        throw_openssl_error(ErrorCode::internal, "cannot set verification parameters");
    }
    X509_VERIFY_PARAM_set_auth_level(param, options.security_level);
    if (options.at) {
        X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(options.at->time_since_epoch().count()));
    }
    if (options.max_depth) {
        X509_VERIFY_PARAM_set_depth(param, *options.max_depth);
    }
    if (!options.host.empty()) {
        // RFC 6125 6.4.3 allows "f*.example.com" only as a MAY; the CA/Browser Forum Baseline
        // Requirements forbid it, and so do we, as upstream x509-limbo's OpenSSL harness does.
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
        if (X509_VERIFY_PARAM_set1_host(param, options.host.data(), options.host.size()) != 1) {
            throw_openssl_error(ErrorCode::invalid_input,
                                fmt::format("\"{}\" is not a host name", options.host));
        }
    }
    if (!options.ip.empty() && X509_VERIFY_PARAM_set1_ip_asc(param, options.ip.c_str()) != 1) {
        throw_openssl_error(ErrorCode::invalid_input, fmt::format("\"{}\" is not an IP address", options.ip));
    }
}

X509StackPtr x509_stack(const std::vector<Certificate>& certificates) {
    X509StackPtr stack(sk_X509_new_null());
    if (!stack) {
        throw_openssl_error(ErrorCode::internal, "out of memory");
    }
    for (const Certificate& certificate : certificates) {
        X509* x = certificate.x509();
        if (X509_up_ref(x) != 1) {
            throw_openssl_error(ErrorCode::internal, "cannot share certificate");
        }
        X509Ptr owned(x);
        if (sk_X509_push(stack.get(), owned.get()) <= 0) {
            throw_openssl_error(ErrorCode::internal, "out of memory");
        }
        static_cast<void>(owned.release());  // the stack owns it now
    }
    return stack;
}

X509CrlStackPtr crl_stack(const std::vector<Crl>* crls) {
    X509CrlStackPtr stack(sk_X509_CRL_new_null());
    if (!stack) {
        throw_openssl_error(ErrorCode::internal, "out of memory");
    }
    if (crls == nullptr) {
        return stack;
    }
    for (const Crl& crl : *crls) {
        if (X509_CRL_up_ref(crl.get()) != 1) {
            throw_openssl_error(ErrorCode::internal, "cannot share CRL");
        }
        X509CrlPtr owned(crl.get());
        if (sk_X509_CRL_push(stack.get(), owned.get()) <= 0) {
            throw_openssl_error(ErrorCode::internal, "out of memory");
        }
        static_cast<void>(owned.release());  // the stack owns it now
    }
    return stack;
}

struct Run {
    std::vector<Certificate> chain;
    std::vector<RawError> errors;
};

Run run_verification(const Certificate& leaf,
                     STACK_OF(X509) * untrusted,
                     STACK_OF(X509_CRL) * crls,
                     const TrustStore& trust,
                     const VerifyOptions& options,
                     int purpose) {
    X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), trust.get(), leaf.x509(), untrusted) != 1) {
        throw_openssl_error(ErrorCode::internal, "cannot start chain verification");
    }
    configure(ctx.get(), options, purpose);
    X509_STORE_CTX_set0_crls(ctx.get(), crls);  // borrowed: the context does not free them
    ErrorCollector collector;
    X509_STORE_CTX_set_app_data(ctx.get(), &collector);
    X509_STORE_CTX_set_verify_cb(ctx.get(), collect_error);

    const int result = X509_verify_cert(ctx.get());
    Run run;
    run.errors = std::move(collector.errors);
    if (result <= 0 && run.errors.empty()) {
        // Failed without calling back: an internal error (memory, a malformed certificate).
        const int error = X509_STORE_CTX_get_error(ctx.get());
        run.errors.push_back({error == X509_V_OK ? X509_V_ERR_UNSPECIFIED : error, -1, nullptr});
    }
    if (collector.stopped) {
        run.errors.push_back({X509_V_ERR_UNSPECIFIED, -1, nullptr});
    }
    ERR_clear_error();

    X509StackPtr chain(X509_STORE_CTX_get1_chain(ctx.get()));
    const int size = chain ? sk_X509_num(chain.get()) : 0;
    for (int i = 0; i < size; ++i) {
        X509* x = sk_X509_value(chain.get(), i);
        if (X509_up_ref(x) != 1) {
            throw_openssl_error(ErrorCode::internal, "cannot share certificate");
        }
        run.chain.push_back(Certificate::from_x509(X509Ptr(x)));
    }
    if (run.chain.empty()) {
        run.chain.push_back(leaf.clone());
    }
    return run;
}

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
std::string detail_for(const RawError& raw,
                       const Certificate* certificate,
                       const VerifyOptions& options,
                       Purpose purpose) {
    const FindingCode code = finding_code_for_verify_error(raw.error);
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
    return X509_verify_cert_error_string(raw.error);
}

Finding to_finding(const RawError& raw,
                   const std::vector<Certificate>& chain,
                   const VerifyOptions& options,
                   Purpose purpose) {
    Finding finding{.code = finding_code_for_verify_error(raw.error)};
    if (raw.depth >= 0) {
        finding.certificate_index = static_cast<std::size_t>(raw.depth);
    }
    // Chain-wide errors (policy) come without a current certificate: name the one at the error depth.
    X509* x = raw.certificate.get();
    if (x == nullptr && finding.certificate_index && *finding.certificate_index < chain.size()) {
        x = chain[*finding.certificate_index].x509();
    }
    if (x == nullptr) {
        finding.message = detail_for(raw, nullptr, options, purpose);
        return finding;
    }
    if (X509_up_ref(x) != 1) {
        throw_openssl_error(ErrorCode::internal, "cannot share certificate");
    }
    const Certificate certificate = Certificate::from_x509(X509Ptr(x));
    const std::string subject = finding.certificate_index
                                    ? describe_certificate(*finding.certificate_index, certificate)
                                    : certificate.subject();
    finding.message = fmt::format("{}: {}", subject, detail_for(raw, &certificate, options, purpose));
    return finding;
}

void add_unique(std::vector<Finding>& findings, Finding finding) {
    if (std::find(findings.begin(), findings.end(), finding) == findings.end()) {
        findings.push_back(std::move(finding));
    }
}

}  // namespace

std::string_view to_string(Purpose purpose) noexcept {
    switch (purpose) {
        case Purpose::any:
            return "any";
        case Purpose::server:
            return "server";
        case Purpose::client:
            return "client";
        case Purpose::peer:
            return "peer";
    }
    return "any";
}

Purpose parse_purpose(std::string_view text, std::string_view field) {
    for (const Purpose purpose : {Purpose::any, Purpose::server, Purpose::client, Purpose::peer}) {
        if (text == to_string(purpose)) {
            return purpose;
        }
    }
    throw Error(ErrorCode::invalid_input,
                fmt::format("{}: \"{}\" is not a purpose (use server, client, peer or any)", field, text));
}

ChainVerdict verify_chain(const Certificate& leaf,
                          const std::vector<Certificate>& untrusted,
                          const TrustStore& trust,
                          const VerifyOptions& options) {
    const X509StackPtr intermediates = x509_stack(untrusted);
    const X509CrlStackPtr crls = crl_stack(options.crls);
    const Purpose first = options.purpose == Purpose::peer ? Purpose::server : options.purpose;
    Run run = run_verification(leaf, intermediates.get(), crls.get(), trust, options, purpose_id(first));

    ChainVerdict verdict;
    for (const RawError& raw : run.errors) {
        add_unique(verdict.findings, to_finding(raw, run.chain, options, first));
    }
    if (options.purpose == Purpose::peer) {
        // X509_VERIFY_PARAM holds one purpose: a peer's chain is verified once more as a TLS client,
        // keeping only what that second purpose adds.
        const Run client =
            run_verification(leaf, intermediates.get(), crls.get(), trust, options, X509_PURPOSE_SSL_CLIENT);
        for (const RawError& raw : client.errors) {
            if (raw.error == X509_V_ERR_INVALID_PURPOSE) {
                add_unique(verdict.findings, to_finding(raw, client.chain, options, Purpose::client));
            }
        }
    }
    verdict.chain = std::move(run.chain);
    return verdict;
}

}  // namespace certfleet::pki
