// Runs the x509-limbo suite (shared/testdata/x509-limbo, third-party vectors) through verify_chain.
// Every SERVER case is mapped onto VerifyOptions the way the OpenSSL CLI baseline recorded there maps
// it onto `openssl verify` flags (-x509_strict -partial_chain -auth_level 2, -attime or -no_check_time,
// -verify_hostname/-verify_ip, -purpose, -verify_depth, -CRLfile -crl_check_all), so our verdicts can
// be compared with that baseline case by case.
#include "core/error.hpp"
#include "pki/chain_verifier.hpp"
#include "pki/pem_reader.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>

namespace certfleet::pki {
namespace {

using nlohmann::json;

constexpr const char* limbo_dir = CERTFLEET_SOURCE_DIR "/../shared/testdata/x509-limbo";
// OpenSSL 3.0.19's CLI matches the expected result in 144 of the 198 SERVER cases (README.md there).
constexpr int openssl_cli_baseline = 144;

json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    return json::parse(in);
}

std::vector<Certificate> certificates_of(const json& pems, const std::string& what) {
    std::vector<Certificate> out;
    for (const json& pem : pems) {
        out.push_back(Certificate::from_pem(pem.get<std::string>(), what));
    }
    return out;
}

Purpose purpose_of(const json& ekus) {
    for (const json& eku : ekus) {
        if (eku == "serverAuth") {
            return Purpose::server;
        }
    }
    for (const json& eku : ekus) {
        if (eku == "clientAuth") {
            return Purpose::client;
        }
    }
    return Purpose::any;
}

struct CaseResult {
    std::string actual;             // "SUCCESS" or "FAILURE"
    std::string rejected_as_input;  // why, when a certificate or CRL of the case did not even parse
};

// A case whose input does not parse (Error) is a clean rejection; any other exception escapes and fails
// the test.
CaseResult run_case(const json& testcase) {
    try {
        const std::vector<Certificate> trusted = certificates_of(testcase["trusted_certs"], "trusted");
        const std::vector<Certificate> untrusted =
            certificates_of(testcase["untrusted_intermediates"], "untrusted");
        const Certificate leaf =
            Certificate::from_pem(testcase["peer_certificate"].get<std::string>(), "peer");
        std::vector<Crl> crls;
        for (const json& pem : testcase["crls"]) {
            for (PemBlock& block : read_pem_blocks(pem.get<std::string>(), "crl")) {
                crls.push_back(Crl::from_der(block.der, "crl"));
            }
        }
        VerifyOptions options{
            .purpose = purpose_of(testcase["extended_key_usage"]),
            .anchors = AnchorRule::any_trusted,
            .strictness = Strictness::strict,
            .revocation = crls.empty() ? RevocationCheck::none : RevocationCheck::chain,
            .crls = &crls,
            .security_level = 2,
        };
        if (testcase["validation_time"].is_string()) {
            options.at = parse_time(testcase["validation_time"].get<std::string>(), "validation_time");
        }
        if (testcase["expected_peer_name"].is_object()) {
            const json& name = testcase["expected_peer_name"];
            if (name["kind"] == "DNS") {
                options.host = name["value"].get<std::string>();
            } else if (name["kind"] == "IP") {
                options.ip = name["value"].get<std::string>();
            }
        }
        if (testcase["max_chain_depth"].is_number_integer()) {
            options.max_depth = testcase["max_chain_depth"].get<int>();
        }
        const TrustStore trust = TrustStore::from_certificates(trusted, "limbo trusted_certs");
        return {verify_chain(leaf, untrusted, trust, options).is_clean() ? "SUCCESS" : "FAILURE", ""};
    } catch (const core::Error& e) {
        return {"FAILURE", e.what()};
    }
}

TEST(Limbo, ServerCasesMatchAtLeastTheOpensslCliBaseline) {
    const json limbo = read_json(std::string(limbo_dir) + "/limbo.json");
    std::map<std::string, std::string> baseline;
    // Kept in a variable: a range-for over a member of a temporary would dangle before C++23.
    const json openssl_results = read_json(std::string(limbo_dir) + "/results-openssl-3.0.19-cli.json");
    for (const json& result : openssl_results["results"]) {
        baseline[result["id"].get<std::string>()] = result["actual_result"].get<std::string>();
    }

    json results = json::array();
    int server_cases = 0;
    int matching = 0;
    int differs_from_openssl = 0;
    int worse_than_openssl = 0;  // differs from the baseline and misses the expected result
    int rejected_as_input = 0;
    for (const json& testcase : limbo["testcases"]) {
        if (testcase["validation_kind"] != "SERVER") {
            continue;
        }
        ++server_cases;
        const std::string id = testcase["id"].get<std::string>();
        CaseResult result;
        try {
            result = run_case(testcase);
        } catch (const std::exception& e) {
            ADD_FAILURE() << id << ": threw " << e.what();
            continue;
        }
        const std::string actual = result.actual;
        const json context =
            result.rejected_as_input.empty() ? json(nullptr) : json(result.rejected_as_input);
        rejected_as_input += result.rejected_as_input.empty() ? 0 : 1;
        results.push_back({{"id", id}, {"actual_result", actual}, {"context", context}});
        if (actual == testcase["expected_result"]) {
            ++matching;
        }
        if (baseline.count(id) != 0 && baseline[id] != actual) {
            ++differs_from_openssl;
            worse_than_openssl += actual == testcase["expected_result"] ? 0 : 1;
            std::cout << "  differs from openssl verify: " << id << ": ours " << actual << ", openssl "
                      << baseline[id] << ", expected " << testcase["expected_result"].get<std::string>()
                      << '\n';
        }
    }
    std::cout << "x509-limbo: " << matching << " of " << server_cases
              << " SERVER cases match the expected result (OpenSSL 3.0 CLI baseline: " << openssl_cli_baseline
              << "); " << differs_from_openssl << " verdicts differ from the baseline's; "
              << rejected_as_input << " cases rejected as unreadable input\n";
    // CERTFLEET_LIMBO_RESULTS=path writes the verdicts in upstream's LimboResult format.
    if (const char* path = std::getenv("CERTFLEET_LIMBO_RESULTS")) {
        std::ofstream(path) << json{{"version", 1}, {"harness", "certfleet"}, {"results", results}}.dump(1);
    }
    EXPECT_EQ(server_cases, 198);
    EXPECT_GE(matching, openssl_cli_baseline);
    EXPECT_EQ(worse_than_openssl, 0) << "cases OpenSSL's CLI gets right and we do not (listed above)";
}

}  // namespace
}  // namespace certfleet::pki
