#pragma once

#include <iostream>
#include <string_view>
#include <unistd.h>

namespace certfleet::cli {

/// A progress line on standard error for long scans and waits, only when it is a terminal; cleared when
/// it goes.
class ProgressLine {
public:
    explicit ProgressLine(bool wanted) : m_enabled(wanted && ::isatty(STDERR_FILENO) == 1) {}
    ProgressLine(const ProgressLine&) = delete;
    ProgressLine& operator=(const ProgressLine&) = delete;
    ProgressLine(ProgressLine&&) = delete;
    ProgressLine& operator=(ProgressLine&&) = delete;
    ~ProgressLine() {
        if (m_shown) {
            std::cerr << "\r\033[K" << std::flush;
        }
    }
    /// Replaces the line with `text`.
    void show(std::string_view text) {
        if (!m_enabled) {
            return;
        }
        m_shown = true;
        std::cerr << "\r\033[K" << text << std::flush;
    }

private:
    bool m_enabled;
    bool m_shown = false;
};

}  // namespace certfleet::cli
