#pragma once

#include "deploy/deployment_spec.hpp"
#include "formats/target_file.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace certfleet::deploy {

/// Throws Error(invalid_input) naming `spec_source` unless the spec's certificate can take a renewal:
/// it must name files (`cert`, and `key` when the renewal has a new key), not a keystore (`from`).
void require_renewable_source(const SourceSpec& source, std::string_view spec_source, bool new_key);

/// Returns the spec's own source files holding a renewed certificate: `cert` the leaf (followed by
/// `chain_pem` when the spec names no separate chain file), `chain` the issuers, `key` the new key when
/// `key_pem` is not empty. A renewal deploys them with the targets, in one deployment, so that the next
/// `certfleet deploy --spec` does not put the old certificate back.
std::vector<formats::TargetFile> renewed_source_files(const SourceSpec& source,
                                                      const std::string& certificate_pem,
                                                      const std::string& chain_pem,
                                                      const std::string& key_pem);

}  // namespace certfleet::deploy
