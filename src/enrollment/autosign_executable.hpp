#pragma once

#include "core/duration.hpp"

#include <string>
#include <string_view>

namespace certfleet::enrollment {

/// What the autosign policy executable said.
struct PolicyAnswer {
    bool approved = false;
    std::string detail;  ///< "exit 0", "exit 1: unknown host", "timed out"
};

/// Runs the autosign policy executable as Puppet runs its `autosign` one: the certname as its only
/// argument, the CSR (PEM) on stdin, approved by exit 0 within `timeout`. Never throws for the
/// executable's own failure (it is a refusal).
PolicyAnswer ask_policy_executable(const std::string& executable,
                                   std::string_view name,
                                   std::string_view csr_pem,
                                   core::Seconds timeout);

}  // namespace certfleet::enrollment
