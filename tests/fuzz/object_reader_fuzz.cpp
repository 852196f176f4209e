// pki::read_objects: PEM (any blocks, lenient) and DER, with a passphrase for encrypted keys, then
// everything inspect reports about what was read.
#include "fuzz/fuzz_target.hpp"
#include "fuzz/reported_objects.hpp"
#include "pki/object_reader.hpp"

using namespace certfleet;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const core::Secret passphrase{"fuzz"};
    fuzz::expect_only_core_errors([&] {
        fuzz::render_as_inspect_would(
            pki::read_objects(fuzz::as_text(data, size), "fuzz", {.passphrase = &passphrase}));
    });
    return 0;
}
