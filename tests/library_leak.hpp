#pragma once
// Marks allocations that a library we call leaks and that certfleet cannot free, so that
// LeakSanitizer (the asan and dev presets) reports everything else. Costs nothing without ASan.
// Use it around the one call that leaks, with the upstream report named where it is used.

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#include <sanitizer/lsan_interface.h>
#endif
#endif

namespace certfleet::testing {

/// While alive, allocations on this thread are not reported as leaks.
class KnownLibraryLeak {
public:
#if defined(SANITIZER_LSAN_INTERFACE_H)
    KnownLibraryLeak() {
        __lsan_disable();
    }
    ~KnownLibraryLeak() {
        __lsan_enable();
    }
#else
    KnownLibraryLeak() = default;
    ~KnownLibraryLeak() = default;
#endif
    KnownLibraryLeak(const KnownLibraryLeak&) = delete;
    KnownLibraryLeak& operator=(const KnownLibraryLeak&) = delete;
    KnownLibraryLeak(KnownLibraryLeak&&) = delete;
    KnownLibraryLeak& operator=(KnownLibraryLeak&&) = delete;
};

}  // namespace certfleet::testing
