#include "core/private_file.hpp"

#include "core/error.hpp"
#include "core/file.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

namespace certfleet::core {

Secret read_private_file(const std::string& path, std::size_t max_size) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0077U) != 0) {
        throw Error(ErrorCode::invalid_input,
                    fmt::format("{}: holds secrets but its mode {:04o} lets group or others read or write "
                                "it (chmod 600 {})",
                                path,
                                st.st_mode & 07777U,
                                path));
    }
    // read_file refuses what is missing, not a regular file or too large, naming the file.
    return Secret(read_file(path, {.max_size = max_size, .pipes = PipeInput::refuse}));
}

}  // namespace certfleet::core
