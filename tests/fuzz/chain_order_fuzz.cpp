// pki::order_chain and pki::require_chain_order over certificates that really issue one another: the
// fixture chains of tests/data (make_chain_data.sh: root, two intermediates, a re-keyed intermediate
// with the same name, two servers, a self-signed look-alike; make_data.sh: another root, intermediate
// and leaves). Each input byte picks a certificate from that pool, so the fuzzer explores orders, gaps,
// duplicates, name collisions and loops; the two functions must agree, and an ordered chain must pass.
#include "fuzz/fuzz_target.hpp"
#include "pki/chain_order.hpp"
#include "pki/object_reader.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using namespace certfleet;

namespace {

std::vector<pki::Certificate>& pool() {
    static std::vector<pki::Certificate> certificates;
    return certificates;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    const std::string data = CERTFLEET_TEST_DATA;
    for (const char* name : {"chain/root.pem",
                             "chain/sub1.pem",
                             "chain/sub2.pem",
                             "chain/sub2_rekeyed.pem",
                             "chain/server.pem",
                             "chain/server2.pem",
                             "chain/self_signed.pem",
                             "pki/root.pem",
                             "pki/intermediate.pem",
                             "pki/server.pem",
                             "pki/expired.pem",
                             "pki/verify/sub_sub_ca.pem",
                             "pki/verify/sub_sub_leaf.pem"}) {
        std::ifstream in(data + "/" + name, std::ios::binary);
        const std::string pem((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        for (pki::Certificate& certificate : pki::read_certificates(pem, name)) {
            pool().push_back(std::move(certificate));
        }
    }
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0 || size > 16) {
        return 0;
    }
    std::vector<pki::Certificate> picked;
    for (std::size_t i = 0; i < size; ++i) {
        picked.push_back(pool()[data[i] % pool().size()].clone());  // NOLINT: bounds are checked above
    }
    std::vector<pki::Certificate> issuers;
    for (std::size_t i = 1; i < picked.size(); ++i) {
        issuers.push_back(picked[i].clone());
    }
    bool in_order = true;
    fuzz::expect_only_core_errors([&] {
        in_order = false;
        pki::require_chain_order(picked.front(), issuers, "fuzz");
        in_order = true;
    });
    fuzz::expect_only_core_errors([&] {
        const std::vector<pki::Certificate> ordered = pki::order_chain(std::move(picked), "fuzz");
        if (ordered.size() != size) {
            std::abort();
        }
        std::vector<pki::Certificate> rest;
        for (std::size_t i = 1; i < ordered.size(); ++i) {
            rest.push_back(ordered[i].clone());
        }
        // What order_chain returns is in order by require_chain_order's rules.
        pki::require_chain_order(ordered.front(), rest, "fuzz: ordered");
    });
    static_cast<void>(in_order);
    return 0;
}
