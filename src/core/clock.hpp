#pragma once

#include <chrono>

namespace certfleet::core {

/// A moment in UTC, as every certificate date, every stored time and every `--at` is held: whole seconds
/// since the Unix epoch in 64 bits. RFC 5280 dates run from year 0000 to 9999 (99991231235959Z means "no
/// well-defined expiration date", section 4.1.2.5), which nanosecond time points cannot hold past 2262.
using TimePoint = std::chrono::sys_seconds;

/// The source of "now". Domain code takes a TimePoint or a Clock&, never reads the system clock.
class Clock {
public:
    Clock() = default;
    Clock(const Clock&) = default;
    Clock(Clock&&) noexcept = default;
    Clock& operator=(const Clock&) = default;
    Clock& operator=(Clock&&) noexcept = default;
    virtual ~Clock() = default;
    /// Returns the current time.
    [[nodiscard]] virtual TimePoint now() const = 0;
};

/// The real wall clock.
class SystemClock final : public Clock {
public:
    /// Returns the current time, truncated to the second. Only the mains (cli/, server/, agent/) create one.
    [[nodiscard]] TimePoint now() const override {
        return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    }
};

}  // namespace certfleet::core
