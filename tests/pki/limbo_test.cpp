// Runs the x509-limbo suite (shared/testdata/x509-limbo, third-party vectors) through verify_chain.
// Every SERVER case is mapped onto VerifyOptions the way the OpenSSL CLI baseline recorded there maps
// it onto `openssl verify` flags (-x509_strict -partial_chain -auth_level 2, -attime or -no_check_time,
// -verify_hostname/-verify_ip, -purpose, -verify_depth, -CRLfile -crl_check_all), then once per server
// profile. The ids of the cases whose verdict matches the expected result are pinned in
// tests/pki/limbo_passing_<profile>.txt: a case that stops passing fails the test, and so does one that
// starts passing until the list is updated (CERTFLEET_LIMBO_WRITE_PINS=1 rewrites the lists).
#include "core/error.hpp"
#include "pki/chain_verifier.hpp"
#include "pki/pem_reader.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <thread>

namespace certfleet::pki {
namespace {

using nlohmann::json;

constexpr const char* limbo_dir = CERTFLEET_SOURCE_DIR "/../shared/testdata/x509-limbo";
constexpr const char* pins_dir = CERTFLEET_SOURCE_DIR "/tests/pki";
// OpenSSL 3.0.19's CLI matches the expected result in 144 of the 198 SERVER cases (README.md there).
constexpr int openssl_cli_baseline = 144;
// A case is a few signature checks; the slowest (pathological graphs) take well under a second.
constexpr auto case_time_limit = std::chrono::seconds(10);

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
    std::string actual;            // "SUCCESS" or "FAILURE"
    json context = json::array();  // the findings, or why the input did not even parse
};

// A case whose input does not parse (Error) is a clean rejection; any other exception escapes.
CaseResult run_case(const json& testcase, ServerProfile profile) {
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
            .profile = profile,
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
        const ChainVerdict verdict = verify_chain(leaf, untrusted, trust, options);
        CaseResult result{.actual = verdict.is_clean() ? "SUCCESS" : "FAILURE"};
        for (const Finding& finding : verdict.findings) {
            result.context.push_back(std::string(to_string(finding.code)) + ": " + finding.message);
        }
        return result;
    } catch (const core::Error& e) {
        return {"FAILURE", json::array({std::string("unreadable input: ") + e.what()})};
    }
}

// Runs one case on its own thread and gives up on it after case_time_limit. A case that overruns is
// left running detached (a thread cannot be cancelled) and the run stops there, failing.
std::optional<CaseResult> run_case_in_time(const json& testcase, ServerProfile profile) {
    auto task = std::make_shared<std::packaged_task<CaseResult()>>(
        [testcase, profile] { return run_case(testcase, profile); });
    std::future<CaseResult> result = task->get_future();
    std::thread([task] { (*task)(); }).detach();
    if (result.wait_for(case_time_limit) != std::future_status::ready) {
        return std::nullopt;
    }
    return result.get();
}

std::set<std::string> read_pins(const std::string& path) {
    std::set<std::string> ids;
    std::ifstream in(path);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            ids.insert(line);
        }
    }
    return ids;
}

// Runs every SERVER case under `profile`; returns the ids that match the expected result.
std::set<std::string> run_server_cases(ServerProfile profile) {
    const json limbo = read_json(std::string(limbo_dir) + "/limbo.json");
    std::map<std::string, std::string> baseline;
    const json openssl_results = read_json(std::string(limbo_dir) + "/results-openssl-3.0.19-cli.json");
    for (const json& result : openssl_results["results"]) {
        baseline[result["id"].get<std::string>()] = result["actual_result"].get<std::string>();
    }
    json results = json::array();
    std::set<std::string> passing;
    int server_cases = 0;
    for (const json& testcase : limbo["testcases"]) {
        if (testcase["validation_kind"] != "SERVER") {
            continue;
        }
        ++server_cases;
        const std::string id = testcase["id"].get<std::string>();
        const std::optional<CaseResult> result = run_case_in_time(testcase, profile);
        if (!result) {
            ADD_FAILURE() << id << ": no verdict within " << case_time_limit.count() << " s; stopping";
            return passing;
        }
        results.push_back({{"id", id}, {"actual_result", result->actual}, {"context", result->context}});
        if (result->actual == testcase["expected_result"]) {
            passing.insert(id);
        } else if (baseline[id] == testcase["expected_result"]) {
            std::cout << "  OpenSSL's CLI gets it right, we do not: " << id << '\n';
        }
    }
    EXPECT_EQ(server_cases, 198);
    std::cout << "x509-limbo, --profile " << to_string(profile) << ": " << passing.size() << " of "
              << server_cases
              << " SERVER cases match the expected result (OpenSSL 3.0 CLI: " << openssl_cli_baseline
              << ")\n";
    // Each case's verdict and findings, in upstream's LimboResult format, beside the test's binary.
    const std::string out = "limbo-results-" + std::string(to_string(profile)) + ".json";
    std::ofstream(out) << json{{"version", 1}, {"harness", "certfleet"}, {"results", results}}.dump(1);
    std::cout << "  verdicts and findings: " << std::filesystem::absolute(out).string() << '\n';
    return passing;
}

// Compares the passing ids with the pinned list, naming every difference.
void expect_pinned(ServerProfile profile, const std::set<std::string>& passing) {
    const std::string path =
        std::string(pins_dir) + "/limbo_passing_" + std::string(to_string(profile)) + ".txt";
    if (std::getenv("CERTFLEET_LIMBO_WRITE_PINS") != nullptr) {
        std::ofstream out(path);
        for (const std::string& id : passing) {
            out << id << '\n';
        }
    }
    const std::set<std::string> pinned = read_pins(path);
    for (const std::string& id : pinned) {
        EXPECT_TRUE(passing.count(id) != 0) << "regression: " << id << " passed and no longer does";
    }
    for (const std::string& id : passing) {
        EXPECT_TRUE(pinned.count(id) != 0) << "newly passing: " << id << " (add it to " << path << ")";
    }
}

bool has_limbo() {
    return std::filesystem::exists(std::string(limbo_dir) + "/limbo.json");
}

TEST(Limbo, OpensslChecksAloneKeepTheirVerdicts) {
    if (!has_limbo()) {
        GTEST_SKIP() << "x509-limbo not found at " << limbo_dir << " (shared/testdata is not checked out)";
    }
    const std::set<std::string> passing = run_server_cases(ServerProfile::off);
    EXPECT_GE(static_cast<int>(passing.size()), openssl_cli_baseline);
    expect_pinned(ServerProfile::off, passing);
}

TEST(Limbo, DefaultProfilePassesThePinnedCases) {
    if (!has_limbo()) {
        GTEST_SKIP() << "x509-limbo not found at " << limbo_dir << " (shared/testdata is not checked out)";
    }
    const std::set<std::string> passing = run_server_cases(ServerProfile::standard);
    EXPECT_GE(passing.size(), 183U);
    expect_pinned(ServerProfile::standard, passing);
    // Every case OpenSSL's checks alone pass still passes with the profile's rules on top.
    const std::string openssl_pins = std::string(pins_dir) + "/limbo_passing_openssl.txt";
    for (const std::string& id : read_pins(openssl_pins)) {
        EXPECT_TRUE(passing.count(id) != 0) << "the default profile loses " << id;
    }
}

TEST(Limbo, StrictProfilePassesThePinnedCases) {
    if (!has_limbo()) {
        GTEST_SKIP() << "x509-limbo not found at " << limbo_dir << " (shared/testdata is not checked out)";
    }
    const std::set<std::string> passing = run_server_cases(ServerProfile::strict);
    EXPECT_GE(passing.size(), 188U);
    expect_pinned(ServerProfile::strict, passing);
}

}  // namespace
}  // namespace certfleet::pki
