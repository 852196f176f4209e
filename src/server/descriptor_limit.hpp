#pragma once

#include <cstdint>

namespace certfleet::server {

/// This process's limit on open descriptors (RLIMIT_NOFILE) around raise_descriptor_limit().
struct DescriptorLimit {
    std::uint64_t before = 0;  ///< the soft limit found at start
    std::uint64_t soft = 0;    ///< the soft limit now
    std::uint64_t hard = 0;    ///< the ceiling an unprivileged process may raise its soft limit to
};

/// Raises the soft limit on open descriptors to the hard limit, as any unprivileged process may. Every
/// client connection, held long-polls included, is one descriptor, and shells and systemd start services
/// at a soft limit of 1024 (systemd's hard limit is 524288): without this a server holding its agents'
/// polls refuses connections (accept fails with EMFILE) long before ServerLimits::max_connections.
/// Never lowers a limit; an infinite hard limit raises the soft one to the kernel's fs.nr_open. Throws
/// Error(internal) when the kernel refuses.
DescriptorLimit raise_descriptor_limit();

}  // namespace certfleet::server
