// Certificates per second for what `certfleet inspect` computes, against naive OpenSSL 3.0 parsing in
// the same process. The corpus comes from bench/run_inspect_bench.sh (CERTFLEET_BENCH_CORPUS, default
// bench/corpus). Not part of ctest: timings are reported, never asserted.
#include "core/file.hpp"
#include "pki/certificate.hpp"
#include "pki/object_reader.hpp"
#include "pki/openssl_handles.hpp"

#include <benchmark/benchmark.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using namespace certfleet;

const std::vector<std::string>& corpus() {
    static const std::vector<std::string> files = [] {
        const char* dir = std::getenv("CERTFLEET_BENCH_CORPUS");
        std::vector<std::string> out;
        std::error_code ec;
        for (const auto& e : std::filesystem::directory_iterator(dir != nullptr ? dir : "bench/corpus", ec)) {
            if (e.path().extension() == ".pem") {
                out.push_back(e.path().string());
            }
        }
        std::sort(out.begin(), out.end());
        return out;
    }();
    return files;
}

// certfleet's library path: read the file, decode PEM, parse, and compute every field inspect prints.
std::size_t inspect_with_certfleet(const std::string& path) {
    std::size_t total = 0;
    for (const auto& item : pki::read_objects(core::read_file(path), path)) {
        const auto& cert = std::get<pki::Certificate>(item.object);
        total += cert.subject().size() + cert.issuer().size() + cert.serial_hex().size();
        for (const auto& name : cert.subject_alt_names()) {
            total += name.value.size();
        }
        total += static_cast<std::size_t>(cert.not_before().time_since_epoch().count() & 1);
        total += static_cast<std::size_t>(cert.not_after().time_since_epoch().count() & 1);
        total += static_cast<std::size_t>(cert.key_description().bits);
        total += cert.fingerprint(pki::DigestAlgorithm::sha1).size();
        total += cert.fingerprint(pki::DigestAlgorithm::sha256).size();
        total += cert.extended_key_usage().size();
    }
    return total;
}

// What a program written against OpenSSL 3.0 the obvious way does.
std::size_t inspect_with_naive_openssl(const std::string& path) {
    const pki::BioPtr bio(BIO_new_file(path.c_str(), "r"));
    const pki::X509Ptr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
    if (!cert) {
        std::abort();
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    std::size_t total = 0;
    X509_digest(cert.get(), EVP_sha1(), md.data(), &len);
    total += len;
    X509_digest(cert.get(), EVP_sha256(), md.data(), &len);
    total += len;
    std::array<char, 512> name{};
    total += std::string_view(X509_NAME_oneline(X509_get_subject_name(cert.get()), name.data(), 512)).size();
    total += std::string_view(X509_NAME_oneline(X509_get_issuer_name(cert.get()), name.data(), 512)).size();
    total += static_cast<std::size_t>(EVP_PKEY_get_bits(X509_get0_pubkey(cert.get())));
    return total;
}

template <std::size_t (*Inspect)(const std::string&)>
void inspect_corpus(benchmark::State& state) {
    const auto& files = corpus();
    if (files.empty()) {
        state.SkipWithError("empty corpus: run bench/run_inspect_bench.sh or set CERTFLEET_BENCH_CORPUS");
        return;
    }
    auto index = static_cast<std::size_t>(state.thread_index());
    const auto stride = static_cast<std::size_t>(state.threads());
    for (auto _ : state) {
        benchmark::DoNotOptimize(Inspect(files[index % files.size()]));
        index += stride;
    }
    state.SetItemsProcessed(state.iterations());
}

void certfleet_library(benchmark::State& state) {
    inspect_corpus<inspect_with_certfleet>(state);
}
void naive_openssl(benchmark::State& state) {
    inspect_corpus<inspect_with_naive_openssl>(state);
}

BENCHMARK(certfleet_library)->Threads(1)->Threads(2)->UseRealTime();
BENCHMARK(naive_openssl)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
