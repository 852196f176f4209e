#include "cli/input_files.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace certfleet::cli {

std::vector<std::string> expand_input_paths(const std::vector<std::string>& paths, Recursion recursion) {
    namespace fs = std::filesystem;
    std::vector<std::string> out;
    for (const std::string& path : paths) {
        if (path == "-") {
            out.push_back(path);
            continue;
        }
        std::error_code ec;
        const auto status = fs::status(path, ec);
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
        std::vector<std::string> found;
        for (auto it =
                 fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
             !ec && it != fs::recursive_directory_iterator();
             it.increment(ec)) {
            if (it->is_regular_file(ec)) {
                found.push_back(it->path().string());
            }
        }
        std::sort(found.begin(), found.end());
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

}  // namespace certfleet::cli
