#include "formats/backup.hpp"

#include "core/error.hpp"
#include "core/file.hpp"
#include "core/utc_time.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <sys/stat.h>

namespace certfleet::formats {
std::optional<std::string> back_up_file(const std::string& path, const BackupOptions& options) {
    namespace fs = std::filesystem;
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        return std::nullopt;
    }
    const fs::path source(path);
    const fs::path directory = options.directory.empty() ? source.parent_path() : fs::path(options.directory);
    std::error_code ec;
    if (!directory.empty() && !fs::is_directory(directory, ec)) {
        throw core::Error(core::ErrorCode::invalid_input,
                          fmt::format("backup directory {} does not exist", directory.string()));
    }
    const std::string contents = core::read_file(path);
    const std::string base =
        (directory / source.filename()).string() + "." + core::format_compact_time(options.at);
    for (int attempt = 0; attempt < 100; ++attempt) {
        const std::string name = attempt == 0 ? base + ".bak" : fmt::format("{}.{}.bak", base, attempt);
        try {
            core::write_file_atomically(
                name, contents, {.mode = st.st_mode & 07777U, .overwrite = core::Overwrite::refuse});
            return name;
        } catch (const core::Error& e) {
            if (e.code() != core::ErrorCode::conflict) {
                throw;
            }
        }
    }
    throw core::Error(core::ErrorCode::conflict,
                      fmt::format("{}: too many backups in the same second", path));
}

}  // namespace certfleet::formats
