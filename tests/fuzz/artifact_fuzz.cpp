// formats::read_artifact: the file-type dispatch that inspect and scan use (PEM, DER, PKCS#12, JKS,
// Kubernetes Secret), with a store password and a key passphrase, then the inspect report.
#include "formats/artifact_reader.hpp"
#include "fuzz/fuzz_target.hpp"
#include "fuzz/reported_objects.hpp"

using namespace certfleet;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const core::Secret password{"changeit"};
    static const core::Secret passphrase{"fuzz"};
    fuzz::expect_only_core_errors([&] {
        const formats::Artifact artifact = formats::read_artifact(
            fuzz::as_text(data, size), "fuzz", {.password = &password, .passphrase = &passphrase});
        fuzz::render_as_inspect_would(artifact.objects);
    });
    return 0;
}
