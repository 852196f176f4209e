#include "cli/input_files.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace certfleet::cli {

std::vector<std::string> expand_input_paths(const std::vector<std::string>& paths,
                                            Recursion recursion,
                                            std::vector<core::UnreadablePath>& unreadable) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    for (const std::string& path : paths) {
        if (path == "-") {
            out.push_back(path);
            continue;
        }
        std::error_code ec;
        const auto status = fs::status(path, ec);
        if (ec == std::errc::too_many_symbolic_link_levels) {
            throw core::Error(core::ErrorCode::invalid_input, fmt::format("{}: symbolic link loop", path));
        }
        if (ec || !fs::exists(status)) {
            throw core::Error(core::ErrorCode::invalid_input,
                              fmt::format("{}: no such file or directory", path));
        }
        if (!fs::is_directory(status)) {
            out.push_back(path);
            continue;
        }
        if (recursion == Recursion::no) {
            throw core::Error(core::ErrorCode::invalid_input,
                              fmt::format("{}: is a directory (use -r to read the files under it)", path));
        }
        core::DirectoryListing listing = core::list_files(path, Recursion::yes);
        out.insert(out.end(), listing.files.begin(), listing.files.end());
        unreadable.insert(unreadable.end(), listing.unreadable.begin(), listing.unreadable.end());
    }
    return out;
}

}  // namespace certfleet::cli
