#pragma once

#include "authority/authority.hpp"

#include <string>

namespace certfleet::cli {

/// Where `cert sign`, `cert issue` and `cert renew` write what they issued.
struct IssuedOutput {
    std::string out;      ///< --out: the certificate alone
    std::string out_dir;  ///< --out-dir: key.pem (when a key was made), cert, chain, fullchain, root
    bool force = false;   ///< --force: replace existing files
};

/// Throws Error(conflict) naming the first output file that already exists (unless --force). Called
/// before anything is signed: a certificate that cannot be written would be recorded and audited with
/// its key thrown away.
void check_issued_output(const IssuedOutput& output, bool with_key);

/// Writes the certificate (and `key_pem` when not null, 0600) where `output` says; with neither --out nor
/// --out-dir, prints the full chain. Reports the issued certificate on stderr.
void write_issued_output(const IssuedOutput& output,
                         const authority::IssuedCertificate& issued,
                         const std::string* key_pem);

}  // namespace certfleet::cli
