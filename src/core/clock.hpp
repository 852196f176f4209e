#pragma once

#include <chrono>

namespace certfleet::core {

/// A moment in UTC, as every certificate date and every `--at` is held.
using TimePoint = std::chrono::system_clock::time_point;

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
    /// Returns std::chrono::system_clock::now(). Only cli/ (and later server/, agent/ mains) create one.
    [[nodiscard]] TimePoint now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace certfleet::core
