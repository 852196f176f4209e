#pragma once

#include "pki/chain_verifier.hpp"
#include "pki/expectations.hpp"
#include "pki/trust_store.hpp"

#include <vector>

namespace certfleet::pki {

/// Verifies what a file or a server presents: the first certificate is the one judged, the others (a
/// fullchain file, the chain a TLS server sent) and `extra_untrusted` are candidate intermediates. The
/// verdict holds OpenSSL's path validation findings followed by those of `expected` at `options.at`
/// (or `at` when the options leave the time unchecked). The one call verify, probe, deployment health
/// checks and the server share.
/// Throws Error(invalid_input) if `presented` is empty.
ChainVerdict verify_presented_chain(const std::vector<Certificate>& presented,
                                    const std::vector<Certificate>& extra_untrusted,
                                    const TrustStore& trust,
                                    const VerifyOptions& options,
                                    const Expectations& expected,
                                    core::TimePoint at);

}  // namespace certfleet::pki
