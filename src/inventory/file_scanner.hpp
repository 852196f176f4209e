#pragma once

#include "core/secret.hpp"
#include "inventory/inventory_report.hpp"
#include "inventory/keystore_passwords.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace certfleet::inventory {

/// How far a scan has got, for a progress line.
struct ScanProgress {
    std::size_t files_done = 0;
    std::size_t files_total = 0;
};

struct FileScanOptions {
    bool recursive = false;            ///< descend into subdirectories (the top level is always read)
    std::vector<std::string> include;  ///< fnmatch(3) globs over file names found in directories
    const KeystorePasswords* passwords = nullptr;
    const core::Secret* passphrase = nullptr;  ///< for encrypted PEM keys met on the way
    unsigned workers = 2;                      ///< threads reading and parsing files
    /// Called on the calling thread, at most once per `progress_interval`, while the scan runs.
    std::function<void(const ScanProgress&)> on_progress;
    std::chrono::milliseconds progress_interval{100};
};

/// Returns the files a scan of `paths` reads, sorted within each directory, files given explicitly
/// kept as given. A path that does not exist becomes an entry of `errors`.
std::vector<std::string> list_scan_files(const std::vector<std::string>& paths,
                                         const FileScanOptions& options,
                                         std::vector<ScanError>& errors);

/// Reads every file under `paths` with formats::read_artifact (PEM, DER, bundles, PKCS#12, and every
/// container formats/ learns) on `options.workers` threads, and returns every certificate in path
/// order. A file that cannot be read (missing, damaged, wrong password) becomes a ScanError with the
/// reason, and the scan goes on; files holding no certificate (keys, CSRs) add nothing.
InventoryReport scan_files(const std::vector<std::string>& paths, const FileScanOptions& options);

}  // namespace certfleet::inventory
