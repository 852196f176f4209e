#pragma once

#include "core/secret.hpp"
#include "inventory/inventory_report.hpp"
#include "inventory/keystore_passwords.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
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
    /// Files read ahead of the one delivered next (stream_scan): bounds memory whatever the file count.
    std::size_t window = 256;
    RecordDetail detail;  ///< which record fields to fill (make_record)
};

/// One file as stream_scan hands it over.
struct ScannedFile {
    std::string path;
    std::vector<CertificateRecord> certificates;  ///< in file order
    std::optional<ScanError> error;               ///< set when the file could not be read
    std::string text;                             ///< what ScanSink::process made of it
};

/// Where stream_scan sends each file.
struct ScanSink {
    /// Called on a worker thread as soon as a file is read, files in any order: filter and format here,
    /// so that work runs in parallel with parsing. May be empty.
    std::function<void(ScannedFile&)> process;
    /// Called on the calling thread with each file, in path order, after `process`.
    std::function<void(ScannedFile&)> deliver;
};

/// Returns the files a scan of `paths` reads, sorted within each directory, files given explicitly
/// kept as given. A path that does not exist becomes an entry of `errors`.
std::vector<std::string> list_scan_files(const std::vector<std::string>& paths,
                                         const FileScanOptions& options,
                                         std::vector<ScanError>& errors);

/// Reads every file under `paths` as scan_files does, on `options.workers` threads, and hands each one to
/// `sink` as it is read, in path order, holding at most `options.window` files' results at a time: memory
/// stays flat however many files there are. Paths that do not exist are delivered first, as errors.
/// Rethrows what `sink.deliver` throws (after stopping the workers).
void stream_scan(const std::vector<std::string>& paths, const FileScanOptions& options, const ScanSink& sink);

/// Reads every file under `paths` with formats::read_artifact (PEM, DER, bundles, PKCS#12, and every
/// container formats/ learns) on `options.workers` threads, and returns every certificate in path
/// order. A file that cannot be read (missing, damaged, wrong password) becomes a ScanError with the
/// reason, and the scan goes on; files holding no certificate (keys, CSRs) add nothing.
InventoryReport scan_files(const std::vector<std::string>& paths, const FileScanOptions& options);

}  // namespace certfleet::inventory
