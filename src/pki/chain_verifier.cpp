#include "pki/chain_verifier.hpp"

#include "pki/distinguished_name.hpp"
#include "pki/verify_error_finding.hpp"

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

bool is_among(const X509* x, const std::vector<const X509*>& set) {
    return std::any_of(set.begin(), set.end(), [&](const X509* y) { return X509_cmp(x, y) == 0; });
}

// Returns `certificates` but those in `excluded`, shared into a stack for X509_STORE_CTX_init.
X509StackPtr x509_stack(const std::vector<Certificate>& certificates,
                        const std::vector<const X509*>& excluded) {
    X509StackPtr stack(sk_X509_new_null());
    if (!stack) {
        throw_openssl_error(ErrorCode::internal, "out of memory");
    }
    for (const Certificate& certificate : certificates) {
        X509* x = certificate.x509();
        if (is_among(x, excluded)) {
            continue;
        }
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
    bool ends_at_anchor = false;  // the chain's last certificate came from the trust store
};

// Returns true if OpenSSL reported `raw` where the server profile's engine rules say there is no
// problem.
bool is_engine_false_positive(const RawError& raw, const Run& run, const VerifyOptions& options) {
    if (raw.error == X509_V_ERR_CERT_HAS_EXPIRED && options.at && raw.certificate) {
        // RFC 5280 4.1.2.5: "The validity period for a certificate is the period of time from notBefore
        // through notAfter, inclusive." OpenSSL (X509_cmp_time) calls a certificate whose notAfter
        // equals the validation time expired; the encoded time has whole seconds, so compare those.
        const core::TimePoint not_after = to_time_point(X509_get0_notAfter(raw.certificate.get()));
        return not_after == std::chrono::floor<std::chrono::seconds>(*options.at);
    }
    if (raw.error == X509_V_ERR_CA_CERT_MISSING_KEY_USAGE && run.ends_at_anchor) {
        // X509_STRICT asks every CA for keyUsage, the trust anchor included; RFC 5280 6.1 takes
        // nothing from the anchor but its name and key.
        return raw.depth == static_cast<int>(run.chain.size()) - 1;
    }
    return false;
}

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
    run.ends_at_anchor = chain && sk_X509_num(chain.get()) > X509_STORE_CTX_get_num_untrusted(ctx.get());
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
    if (options.profile != ServerProfile::off) {
        std::erase_if(run.errors,
                      [&](const RawError& raw) { return is_engine_false_positive(raw, run, options); });
    }
    return run;
}

// How many times path building is retried without the failed path's intermediates. OpenSSL builds one
// path and stops; another may be valid (x509-limbo nc-forbids-*-chain-ica). Each attempt drops one
// more certificate, so the bound is what keeps a pathological graph from taking forever.
constexpr int max_path_attempts = 4;

// Returns the failed path's intermediate nearest the leaf that came from `untrusted` and is not yet
// excluded, or nullptr.
const X509* next_exclusion(const Run& failed,
                           const std::vector<Certificate>& untrusted,
                           const std::vector<const X509*>& excluded) {
    const std::size_t end = failed.ends_at_anchor ? failed.chain.size() - 1 : failed.chain.size();
    for (std::size_t i = 1; i < end; ++i) {
        const X509* x = failed.chain[i].x509();
        const bool given = std::any_of(untrusted.begin(), untrusted.end(), [&](const Certificate& c) {
            return X509_cmp(c.x509(), x) == 0;
        });
        if (given && !is_among(x, excluded)) {
            return x;
        }
    }
    return nullptr;
}

// Verifies `leaf`, and with a server profile, when a certificate above the leaf failed, retries with
// the failed path's intermediates left out, one more each time, up to max_path_attempts. Returns the
// first clean run, else the first run.
Run search_paths(const Certificate& leaf,
                 const std::vector<Certificate>& untrusted,
                 STACK_OF(X509_CRL) * crls,
                 const TrustStore& trust,
                 const VerifyOptions& options,
                 int purpose) {
    std::vector<const X509*> excluded;
    X509StackPtr stack = x509_stack(untrusted, excluded);
    Run first = run_verification(leaf, stack.get(), crls, trust, options, purpose);
    const bool above_leaf = std::any_of(
        first.errors.begin(), first.errors.end(), [](const RawError& raw) { return raw.depth != 0; });
    if (options.profile == ServerProfile::off || !above_leaf) {
        return first;
    }
    const Run* failed = &first;
    Run retry;
    for (int attempt = 0; attempt < max_path_attempts; ++attempt) {
        const X509* next = next_exclusion(*failed, untrusted, excluded);
        if (next == nullptr) {
            break;
        }
        excluded.push_back(next);
        stack = x509_stack(untrusted, excluded);
        retry = run_verification(leaf, stack.get(), crls, trust, options, purpose);
        if (retry.errors.empty()) {
            return retry;
        }
        failed = &retry;
    }
    return first;
}

int self_issued_count(const std::vector<Certificate>& certificates) {
    return static_cast<int>(std::count_if(certificates.begin(), certificates.end(), [](const Certificate& c) {
        return X509_NAME_cmp(X509_get_subject_name(c.structure()), X509_get_issuer_name(c.structure())) == 0;
    }));
}

// RFC 5280 6.1.4 (l): "If the certificate was not self-issued, verify that max_path_length is greater
// than zero and decrement max_path_length by 1." The same counting bounds the intermediates allowed.
std::optional<Finding> check_depth(const Run& run, int max_depth) {
    const std::size_t end = run.ends_at_anchor ? run.chain.size() - 1 : run.chain.size();
    int counted = 0;
    for (std::size_t i = 1; i < end; ++i) {
        const X509* x = run.chain[i].structure();
        counted += X509_NAME_cmp(X509_get_subject_name(x), X509_get_issuer_name(x)) == 0 ? 0 : 1;
    }
    if (counted <= max_depth) {
        return std::nullopt;
    }
    return Finding{
        .code = FindingCode::chain_too_long,
        .message = fmt::format(
            "chain has {} intermediates that are not self-issued, at most {} allowed", counted, max_depth)};
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
    VerifyOptions effective = options;
    if (options.profile != ServerProfile::off && options.max_depth) {
        // Let OpenSSL build through key rollovers; the depth that counts is checked below.
        effective.max_depth = *options.max_depth + self_issued_count(untrusted);
    }
    const X509CrlStackPtr crls = crl_stack(options.crls);
    const Purpose first = options.purpose == Purpose::peer ? Purpose::server : options.purpose;
    Run run = search_paths(leaf, untrusted, crls.get(), trust, effective, purpose_id(first));

    ChainVerdict verdict;
    for (const RawError& raw : run.errors) {
        add_unique(
            verdict.findings,
            finding_for_verify_error(raw.error, raw.depth, raw.certificate.get(), run.chain, options, first));
    }
    if (options.purpose == Purpose::peer) {
        // X509_VERIFY_PARAM holds one purpose: a peer's chain is verified once more as a TLS client,
        // keeping only what that second purpose adds.
        const X509StackPtr intermediates = x509_stack(untrusted, {});
        const Run client = run_verification(
            leaf, intermediates.get(), crls.get(), trust, effective, X509_PURPOSE_SSL_CLIENT);
        for (const RawError& raw : client.errors) {
            if (raw.error == X509_V_ERR_INVALID_PURPOSE) {
                add_unique(
                    verdict.findings,
                    finding_for_verify_error(
                        raw.error, raw.depth, raw.certificate.get(), client.chain, options, Purpose::client));
            }
        }
    }
    if (options.profile != ServerProfile::off && options.max_depth) {
        if (std::optional<Finding> finding = check_depth(run, *options.max_depth)) {
            add_unique(verdict.findings, std::move(*finding));
        }
    }
    const bool checks_revocation = options.revocation != RevocationCheck::none;
    for (Finding& finding : check_server_profile(run.chain,
                                                 {.profile = options.profile,
                                                 .ends_at_anchor = run.ends_at_anchor,
                                                 .crls = checks_revocation ? options.crls : nullptr})) {
        add_unique(verdict.findings, std::move(finding));
    }
    verdict.chain = std::move(run.chain);
    return verdict;
}

}  // namespace certfleet::pki
