#include "server/descriptor_limit.hpp"

#include "core/error.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <fstream>
#include <sys/resource.h>
#include <system_error>

namespace certfleet::server {
namespace {

// With RLIM_INFINITY as the hard limit, setrlimit refuses a soft limit above fs.nr_open (EPERM).
rlim_t kernel_ceiling() {
    std::ifstream in("/proc/sys/fs/nr_open");
    rlim_t value = 0;
    if (in >> value && value > 0) {
        return value;
    }
    return 1U << 20U;  // the kernel's default nr_open
}

}  // namespace

DescriptorLimit raise_descriptor_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        throw core::Error(core::ErrorCode::internal,
                          fmt::format("getrlimit(RLIMIT_NOFILE): {}", std::system_category().message(errno)));
    }
    DescriptorLimit result{.before = limit.rlim_cur, .soft = limit.rlim_cur, .hard = limit.rlim_max};
    const rlim_t target = limit.rlim_max == RLIM_INFINITY ? kernel_ceiling() : limit.rlim_max;
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < target) {
        limit.rlim_cur = target;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
            throw core::Error(
                core::ErrorCode::internal,
                fmt::format(
                    "setrlimit(RLIMIT_NOFILE) to {}: {}", target, std::system_category().message(errno)));
        }
        result.soft = target;
    }
    return result;
}

}  // namespace certfleet::server
