#include "inventory/file_scanner.hpp"

#include "core/file.hpp"
#include "formats/artifact_reader.hpp"
#include "pki/pem_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fnmatch.h>
#include <mutex>
#include <thread>

namespace certfleet::inventory {
namespace {

namespace fs = std::filesystem;

std::string without_source_prefix(const std::string& message, const std::string& path) {
    const std::string prefix = path + ": ";
    return message.starts_with(prefix) ? message.substr(prefix.size()) : message;
}

bool is_included(const fs::path& file, const std::vector<std::string>& include) {
    if (include.empty()) {
        return true;
    }
    const std::string name = file.filename().string();
    return std::any_of(include.begin(), include.end(), [&](const std::string& glob) {
        return fnmatch(glob.c_str(), name.c_str(), 0) == 0;
    });
}

/// Reads `bytes` as formats/ does. A PEM file whose other blocks cannot be read (an encrypted key
/// without its passphrase, a block type nobody knows) still lists its certificates: an inventory
/// wants the certificates, and losing a bundle's leaf because of its key would hide an expiry.
/// A file of keys only holds no certificate and is not an error.
formats::Artifact read_for_inventory(const std::string& bytes,
                                     const std::string& path,
                                     const formats::ArtifactReadOptions& options) {
    try {
        return formats::read_artifact(bytes, path, options);
    } catch (const core::Error&) {
        if (!pki::contains_pem(bytes)) {
            throw;
        }
        std::vector<const pki::PemBlock*> certificate_blocks;
        const std::vector<pki::PemBlock> blocks = pki::read_pem_blocks(bytes, path);
        for (const pki::PemBlock& block : blocks) {
            if (block.label.find("CERTIFICATE") != std::string::npos &&
                block.label.find("REQUEST") == std::string::npos) {
                certificate_blocks.push_back(&block);
            }
        }
        if (certificate_blocks.empty()) {
            return {formats::ArtifactFormat::pem, {}};
        }
        std::vector<pki::Certificate> certificates = pki::read_certificates(bytes, path);
        if (certificates.size() != certificate_blocks.size()) {
            throw;
        }
        formats::Artifact artifact{formats::ArtifactFormat::pem, {}};
        for (std::size_t i = 0; i < certificates.size(); ++i) {
            artifact.objects.push_back({std::move(certificates[i]),
                                        fmt::format("{}: block {} ({}, line {})",
                                                    path,
                                                    certificate_blocks[i]->index,
                                                    certificate_blocks[i]->label,
                                                    certificate_blocks[i]->line)});
        }
        return artifact;
    }
}

ScannedFile scan_one_file(const std::string& path, const FileScanOptions& options) {
    ScannedFile outcome{.path = path};
    try {
        const std::string bytes = core::read_file(path);
        const formats::ArtifactReadOptions read_options{
            .password = options.passwords != nullptr ? options.passwords->password_for(path) : nullptr,
            .passphrase = options.passphrase};
        const formats::Artifact artifact = read_for_inventory(bytes, path, read_options);
        const std::string format(formats::to_string(artifact.format));
        for (const pki::SourcedObject& item : artifact.objects) {
            if (const auto* certificate = std::get_if<pki::Certificate>(&item.object)) {
                outcome.certificates.push_back(
                    make_record(*certificate, path, item.location, format, options.detail));
            }
        }
    } catch (const core::Error& e) {
        outcome.certificates.clear();
        outcome.error = ScanError{path, without_source_prefix(e.what(), path), e.code()};
    } catch (const std::exception& e) {  // bad_alloc on hostile input, an OpenSSL surprise: keep going
        outcome.certificates.clear();
        outcome.error = ScanError{path, e.what(), core::ErrorCode::internal};
    }
    return outcome;
}

}  // namespace

std::vector<std::string> list_scan_files(const std::vector<std::string>& paths,
                                         const FileScanOptions& options,
                                         std::vector<ScanError>& errors) {
    std::vector<std::string> out;
    for (const std::string& path : paths) {
        std::error_code ec;
        const fs::file_status status = fs::status(path, ec);
        if (ec == std::errc::too_many_symbolic_link_levels) {
            errors.push_back({path, "symbolic link loop", core::ErrorCode::invalid_input});
            continue;
        }
        if (ec || !fs::exists(status)) {
            errors.push_back({path, "no such file or directory", core::ErrorCode::not_found});
            continue;
        }
        if (!fs::is_directory(status)) {
            out.push_back(path);
            continue;
        }
        // Moved, not copied: at 200,000 files a second copy of the path list doubled the peak memory.
        core::DirectoryListing listing =
            core::list_files(path, options.recursive ? core::Recursion::yes : core::Recursion::no);
        if (out.empty() && options.include.empty()) {
            out = std::move(listing.files);
        } else {
            for (std::string& file : listing.files) {
                if (is_included(file, options.include)) {
                    out.push_back(std::move(file));
                }
            }
        }
        // An unreadable directory may hold the certificate that expires tomorrow: it is an error of the
        // scan (counted, in --json errors and x509_read_errors), never a silent skip.
        for (const core::UnreadablePath& skipped : listing.unreadable) {
            errors.push_back({skipped.path, skipped.reason, core::ErrorCode::invalid_input});
        }
    }
    return out;
}

namespace {

// One file read and passed to the sink's `process` on this worker; a `process` that throws makes the file
// an error of the scan, so a report does not lose the files after it.
ScannedFile scan_and_process(const std::string& path, const FileScanOptions& options, const ScanSink& sink) {
    ScannedFile file = scan_one_file(path, options);
    if (sink.process && !file.error) {
        try {
            sink.process(file);
        } catch (const std::exception& e) {
            file.certificates.clear();
            file.error = ScanError{file.path, e.what(), core::ErrorCode::internal};
        }
    }
    return file;
}

}  // namespace

void stream_scan(const std::vector<std::string>& paths,
                 const FileScanOptions& options,
                 const ScanSink& sink) {
    std::vector<ScanError> missing;
    const std::vector<std::string> files = list_scan_files(paths, options, missing);
    for (ScanError& error : missing) {
        ScannedFile file{.path = error.path};
        file.error = std::move(error);
        sink.deliver(file);
    }
    // Workers claim the next index while it is less than `window` ahead of the next one to deliver,
    // and park each result in its slot of a ring; the calling thread delivers the slots in order.
    const std::size_t window = std::max<std::size_t>(1, options.window);
    std::vector<std::optional<ScannedFile>> slots(std::min(window, std::max<std::size_t>(1, files.size())));
    std::mutex mutex;
    std::condition_variable changed;
    std::size_t next = 0;
    std::size_t delivered = 0;
    bool stopped = false;
    auto work = [&] {
        while (true) {
            std::size_t index = 0;
            {
                std::unique_lock lock(mutex);
                changed.wait(
                    lock, [&] { return stopped || next >= files.size() || next < delivered + slots.size(); });
                if (stopped || next >= files.size()) {
                    return;
                }
                index = next++;
            }
            ScannedFile file = scan_and_process(files[index], options, sink);
            {
                const std::lock_guard lock(mutex);
                slots[index % slots.size()] = std::move(file);
            }
            changed.notify_all();
        }
    };
    const unsigned worker_count =
        std::max(1U, std::min<unsigned>(options.workers, static_cast<unsigned>(files.size())));
    std::vector<std::jthread> workers;
    workers.reserve(worker_count);
    for (unsigned w = 0; w < worker_count && !files.empty(); ++w) {
        workers.emplace_back(work);
    }
    try {
        auto last_progress = std::chrono::steady_clock::now();
        for (std::size_t d = 0; d < files.size(); ++d) {
            ScannedFile file;
            {
                std::unique_lock lock(mutex);
                std::optional<ScannedFile>& slot = slots[d % slots.size()];
                while (!slot) {
                    changed.wait_for(lock, options.progress_interval);
                }
                file = std::move(*slot);
                slot.reset();
                delivered = d + 1;
            }
            changed.notify_all();
            sink.deliver(file);
            if (options.on_progress &&
                std::chrono::steady_clock::now() - last_progress >= options.progress_interval) {
                options.on_progress({d + 1, files.size()});
                last_progress = std::chrono::steady_clock::now();
            }
        }
    } catch (...) {
        {
            const std::lock_guard lock(mutex);
            stopped = true;
        }
        changed.notify_all();
        throw;  // the workers join as `workers` goes
    }
    if (options.on_progress) {
        options.on_progress({files.size(), files.size()});
    }
}

InventoryReport scan_files(const std::vector<std::string>& paths, const FileScanOptions& options) {
    InventoryReport report;
    stream_scan(paths, options, {.deliver = [&](ScannedFile& file) {
                    if (file.error) {
                        report.errors.push_back(std::move(*file.error));
                        return;
                    }
                    ++report.files_read;
                    std::move(file.certificates.begin(),
                              file.certificates.end(),
                              std::back_inserter(report.certificates));
                }});
    return report;
}

}  // namespace certfleet::inventory
