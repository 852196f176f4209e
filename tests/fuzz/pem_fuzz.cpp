// pki::read_pem_blocks and contains_pem: the lenient PEM tokenizer (CRLF, text around blocks, RFC 7468
// headers, URL-encoded PEM), and write_pem round trips of every block read.
#include "fuzz/fuzz_target.hpp"
#include "pki/pem_reader.hpp"

#include <cstdlib>

using namespace certfleet;

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::as_text(data, size);
    static_cast<void>(pki::contains_pem(text));
    fuzz::expect_only_core_errors([&] {
        for (const pki::PemBlock& block : pki::read_pem_blocks(text, "fuzz")) {
            // What we write we must read back to the same bytes.
            const std::string written = pki::write_pem(block.label, block.der);
            const std::vector<pki::PemBlock> again = pki::read_pem_blocks(written, "fuzz: rewritten");
            if (again.size() != 1 || again.front().der != block.der) {
                std::abort();
            }
        }
    });
    return 0;
}
