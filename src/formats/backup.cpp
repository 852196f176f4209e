#include "formats/backup.hpp"

#include "core/error.hpp"
#include "core/file.hpp"

#include <fmt/format.h>

#include <ctime>
#include <filesystem>
#include <sys/stat.h>

namespace certfleet::formats {
namespace {

std::string timestamp(core::TimePoint at) {
    const std::time_t t = std::chrono::system_clock::to_time_t(at);
    std::tm utc{};
    gmtime_r(&t, &utc);
    return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                       utc.tm_year + 1900,
                       utc.tm_mon + 1,
                       utc.tm_mday,
                       utc.tm_hour,
                       utc.tm_min,
                       utc.tm_sec);
}

}  // namespace

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
    const std::string base = (directory / source.filename()).string() + "." + timestamp(options.at);
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
