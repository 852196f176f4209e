#include "pki/presented_chain.hpp"

#include "core/error.hpp"

namespace certfleet::pki {

ChainVerdict verify_presented_chain(const std::vector<Certificate>& presented,
                                    const std::vector<Certificate>& extra_untrusted,
                                    const TrustStore& trust,
                                    const VerifyOptions& options,
                                    const Expectations& expected,
                                    core::TimePoint at) {
    if (presented.empty()) {
        throw core::Error(core::ErrorCode::invalid_input, "no certificate presented");
    }
    std::vector<Certificate> untrusted;
    untrusted.reserve(presented.size() - 1 + extra_untrusted.size());
    for (std::size_t i = 1; i < presented.size(); ++i) {
        untrusted.push_back(presented[i].clone());
    }
    for (const Certificate& certificate : extra_untrusted) {
        untrusted.push_back(certificate.clone());
    }
    ChainVerdict verdict = verify_chain(presented.front(), untrusted, trust, options);
    for (Finding& finding : check_expectations(verdict.chain, expected, options.at.value_or(at))) {
        verdict.findings.push_back(std::move(finding));
    }
    return verdict;
}

}  // namespace certfleet::pki
