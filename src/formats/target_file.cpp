#include "formats/target_file.hpp"

#include "core/error.hpp"
#include "core/file.hpp"

#include <fmt/format.h>
#include <openssl/crypto.h>

#include <filesystem>

namespace certfleet::formats {

void TargetFile::wipe_if_secret() noexcept {
    if (holds_private_key) {
        OPENSSL_cleanse(bytes.data(), bytes.size());
    }
}

std::vector<WrittenTarget> write_targets(const std::vector<TargetFile>& files,
                                         const TargetWriteOptions& options) {
    namespace fs = std::filesystem;
    for (const TargetFile& file : files) {
        const fs::path parent = fs::path(file.path).parent_path();
        std::error_code ec;
        if (!parent.empty() && !fs::is_directory(parent, ec)) {
            throw core::Error(core::ErrorCode::invalid_input,
                              fmt::format("{}: directory {} does not exist", file.path, parent.string()));
        }
    }
    std::vector<WrittenTarget> written;
    for (const TargetFile& file : files) {
        WrittenTarget target{file.path, back_up_file(file.path, options.backup)};
        const mode_t mode = file.mode.value_or(options.mode.value_or(file.holds_private_key ? 0600 : 0644));
        core::write_file_atomically(file.path,
                                    file.bytes,
                                    {.mode = mode,
                                     .overwrite = core::Overwrite::replace,
                                     .owner = options.owner,
                                     .group = options.group});
        written.push_back(std::move(target));
    }
    return written;
}

}  // namespace certfleet::formats
