// Writes a corpus of distinct leaf certificates for the inspect benchmark: varied subjects, SANs,
// validity and extensions, keys drawn from a few dozen pre-generated EC P-256 and RSA-2048 keys,
// all signed by one CA made with the openssl CLI (bench/run_inspect_bench.sh).
//
// Usage: certfleet_corpus_generator CA_CERT CA_KEY OUT_DIR COUNT
#include "pki/openssl_handles.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace certfleet::pki;

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "corpus_generator: %s\n", what.c_str());
    std::exit(1);
}

template <class Ptr>
Ptr read_pem(const char* path, auto read) {
    const BioPtr bio(BIO_new_file(path, "r"));
    if (!bio) {
        die(std::string("cannot open ") + path);
    }
    Ptr out(read(bio.get(), nullptr, nullptr, nullptr));
    if (!out) {
        die(std::string("cannot read ") + path);
    }
    return out;
}

void add_ext(X509* cert, X509V3_CTX* ctx, int nid, const std::string& value) {
    const X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value.c_str()));
    if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
        die("cannot add extension " + value);
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        die("usage: certfleet_corpus_generator CA_CERT CA_KEY OUT_DIR COUNT");
    }
    const X509Ptr ca = read_pem<X509Ptr>(argv[1], PEM_read_bio_X509);
    const EvpPkeyPtr ca_key = read_pem<EvpPkeyPtr>(argv[2], PEM_read_bio_PrivateKey);
    const std::string out_dir = argv[3];
    const int count = std::atoi(argv[4]);

    std::vector<EvpPkeyPtr> keys;
    for (int i = 0; i < 32; ++i) {
        keys.emplace_back(i % 4 == 3 ? EVP_RSA_gen(2048) : EVP_EC_gen("P-256"));
        if (!keys.back()) {
            die("cannot generate a key");
        }
    }
    std::mt19937 rng(42);  // the corpus has the same shape every time
    const std::vector<std::string> orgs = {
        "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark Industries"};
    const std::vector<std::string> zones = {"prod", "stage", "dev", "edge", "dc1", "dc2", "kafka", "hdfs"};
    for (int n = 0; n < count; ++n) {
        X509Ptr cert(X509_new());
        EVP_PKEY* key = keys[static_cast<std::size_t>(rng() % keys.size())].get();
        const std::string zone = zones[rng() % zones.size()];
        const std::string host = "node" + std::to_string(n) + "." + zone + ".example.com";
        std::array<unsigned char, 16> serial{};
        RAND_bytes(serial.data(), serial.size());
        serial[0] &= 0x7f;
        const BignumPtr bn(BN_bin2bn(serial.data(), serial.size(), nullptr));
        X509_set_version(cert.get(), 2);
        BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()));
        X509_NAME* name = X509_get_subject_name(cert.get());
        const auto add = [&](const char* field, const std::string& value) {
            X509_NAME_add_entry_by_txt(
                name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1, 0);
        };
        add("C", rng() % 2 == 0 ? "GR" : "US");
        add("O", orgs[rng() % orgs.size()]);
        if (rng() % 2 == 0) {
            add("OU", "team-" + std::to_string(rng() % 50));
        }
        add("CN", host);
        X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.get()));
        X509_gmtime_adj(X509_getm_notBefore(cert.get()), -static_cast<long>(rng() % (400 * 86400)));
        X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(30 + rng() % 800) * 86400);
        X509_set_pubkey(cert.get(), key);

        X509V3_CTX ctx;
        X509V3_set_ctx_nodb(&ctx);
        X509V3_set_ctx(&ctx, ca.get(), cert.get(), nullptr, nullptr, 0);
        std::string sans = "DNS:" + host + ",DNS:node" + std::to_string(n);
        for (auto extra = rng() % 4; extra > 0; --extra) {
            sans += ",DNS:svc" + std::to_string(rng() % 1000) + "." + zone + ".example.com";
        }
        if (rng() % 3 == 0) {
            sans += ",IP:10." + std::to_string(rng() % 256) + "." + std::to_string(rng() % 256) + "." +
                    std::to_string(1 + rng() % 254);
        }
        if (rng() % 5 == 0) {
            sans += ",DNS:*.apps." + zone + ".example.com";
        }
        add_ext(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE");
        add_ext(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment");
        const auto purpose = rng() % 3;
        add_ext(cert.get(),
                &ctx,
                NID_ext_key_usage,
                purpose == 0   ? "serverAuth"
                : purpose == 1 ? "clientAuth"
                               : "serverAuth,clientAuth");
        add_ext(cert.get(), &ctx, NID_subject_alt_name, sans);
        add_ext(cert.get(), &ctx, NID_subject_key_identifier, "hash");
        add_ext(cert.get(), &ctx, NID_authority_key_identifier, "keyid");
        if (X509_sign(cert.get(), ca_key.get(), EVP_sha256()) <= 0) {
            die("cannot sign");
        }
        const std::string path = out_dir + "/cert-" + std::to_string(n) + ".pem";
        const BioPtr bio(BIO_new_file(path.c_str(), "w"));
        if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1) {
            die("cannot write " + path);
        }
    }
    return 0;
}
