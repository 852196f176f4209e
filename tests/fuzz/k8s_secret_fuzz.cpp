// formats::read_k8s_secret: Kubernetes Secret manifests (YAML, base64 data fields holding PEM).
#include "formats/k8s_tls_secret.hpp"
#include "fuzz/fuzz_target.hpp"
#include "fuzz/reported_objects.hpp"

using namespace certfleet;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    static_cast<void>(formats::looks_like_k8s_secret(text));
    fuzz::expect_only_core_errors(
        [&] { fuzz::render_as_inspect_would(formats::read_k8s_secret(text, "fuzz")); });
    return 0;
}
