#pragma once

#include <chrono>

namespace certfleet::core {

using TimePoint = std::chrono::system_clock::time_point;

/// The source of "now". Domain code takes a TimePoint or a Clock&, never reads the system clock.
class Clock {
public:
    virtual ~Clock() = default;
    /// Returns the current time.
    [[nodiscard]] virtual TimePoint now() const = 0;
};

/// The real wall clock.
class SystemClock final : public Clock {
public:
    [[nodiscard]] TimePoint now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace certfleet::core
