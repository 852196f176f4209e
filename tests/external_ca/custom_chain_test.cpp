#include "external_ca/custom_chain.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <ostream>

namespace certfleet::external_ca {
namespace {

using pki::FindingCode;
using testing::fixture_path;
using testing::read_fixture;

CustomChainSources sources(const std::string& root,
                           const std::vector<std::string>& intermediates,
                           const std::string& server,
                           const std::string& key) {
    CustomChainSources out{fixture_path("chain/" + root), {}, fixture_path("chain/" + server), ""};
    for (const std::string& i : intermediates) {
        out.intermediates.push_back(fixture_path("chain/" + i));
    }
    if (!key.empty()) {
        out.key = fixture_path("chain/" + key);
    }
    return out;
}

core::TimePoint at(const char* date) {
    return pki::parse_time(date, "test");
}

struct Case {
    std::string name;
    CustomChainSources sources;
    CustomChainExpectations expected;
    std::vector<FindingCode> codes;
    std::vector<std::optional<std::size_t>> indexes;
    std::string message;  ///< a part of the first finding's message; "" for none
};

void PrintTo(const Case& c, std::ostream* out) {
    *out << c.name;
}

const CustomChainExpectations suffix{.domain_suffix = "cloud.example.com", .at = at("2030-01-01")};

std::vector<Case> cases() {
    return {
        {"Clean",
         sources("root.pem", {"sub1.pem", "sub2.pem"}, "server.pem", "server.key"),
         suffix,
         {},
         {},
         ""},
        {"UrlEncodedInput",
         sources("root.url.txt", {"sub1.url.txt", "sub2.url.txt"}, "server.url.txt", "server.key.url.txt"),
         suffix,
         {},
         {},
         ""},
        {"NoKeyGivenIsNotChecked",
         sources("root.pem", {"sub1.pem", "sub2.pem"}, "server.pem", ""),
         suffix,
         {},
         {},
         ""},
        {"MissingIntermediateBelowTheServer",
         sources("root.pem", {"sub1.pem"}, "server.pem", "server.key"),
         suffix,
         {FindingCode::chain_incomplete},
         {0},
         "cert 0 (CN=*.cloud.example.com): not signed by the next certificate up (CN=certfleet Chain Sub CA "
         "1); "
         "its issuer CN=certfleet Chain Sub CA 2 is missing"},
        {"MissingIntermediateBelowTheRoot",
         sources("root.pem", {"sub2.pem"}, "server.pem", "server.key"),
         suffix,
         {FindingCode::chain_incomplete},
         {1},
         "cert 1 (CN=certfleet Chain Sub CA 2): not signed by the next certificate up (CN=certfleet Chain "
         "Root); "
         "its issuer CN=certfleet Chain Sub CA 1 is missing"},
        {"NoIntermediatesAtAll",
         sources("root.pem", {}, "server.pem", "server.key"),
         suffix,
         {FindingCode::chain_incomplete},
         {0},
         "unable to find valid certification path"},
        {"WrongOrder",
         sources("root.pem", {"sub2.pem", "sub1.pem"}, "server.pem", "server.key"),
         suffix,
         {FindingCode::chain_out_of_order, FindingCode::chain_out_of_order, FindingCode::chain_out_of_order},
         {0, 1, 2},
         "cert 0 (CN=*.cloud.example.com): not signed by the next certificate up (CN=certfleet Chain Sub CA "
         "1); "
         "cert 2 (CN=certfleet Chain Sub CA 2) signed it, so the chain is out of order (give the "
         "intermediates "
         "root-down: CN=certfleet Chain Sub CA 1, CN=certfleet Chain Sub CA 2)"},
        {"MissingRootAnIntermediateGivenAsRoot",
         sources("sub1.pem", {"sub2.pem"}, "server.pem", "server.key"),
         suffix,
         {FindingCode::chain_incomplete},
         {2},
         "cert 2 (CN=certfleet Chain Sub CA 1): given as the root but not self-signed; its issuer "
         "CN=certfleet Chain Root is missing"},
        {"SelfSignedServer",
         sources("root.pem", {}, "self_signed.pem", "self_signed.key"),
         suffix,
         {FindingCode::self_signed_leaf},
         {0},
         "cert 0 (CN=*.cloud.example.com): self-signed"},
        {"KeyMismatch",
         sources("root.pem", {"sub1.pem", "sub2.pem"}, "server.pem", "other.key"),
         suffix,
         {FindingCode::key_mismatch},
         {0},
         "the private key given (--key) is not this certificate's"},
        {"SameNameOtherKeyInTheMiddle",
         sources("root.pem", {"sub1.pem", "sub2_rekeyed.pem"}, "server.pem", "server.key"),
         suffix,
         {FindingCode::signature_invalid},
         {0},
         "the names match but the signature does not verify"},
        {"DomainSuffixNotCovered",
         sources("root.pem", {"sub1.pem", "sub2.pem"}, "server.pem", "server.key"),
         {.domain_suffix = "example.org", .at = at("2030-01-01")},
         {FindingCode::host_mismatch},
         {0},
         "cert 0 (CN=*.cloud.example.com): does not cover *.example.org"},
        {"DomainSuffixWrittenAsWildcard",
         sources("root.pem", {"sub1.pem", "sub2.pem"}, "server.pem", "server.key"),
         {.domain_suffix = "*.CLOUD.example.com", .at = at("2030-01-01")},
         {},
         {},
         ""},
        {"HostsCoveredAndNot",
         sources("root.pem", {"sub1.pem", "sub2.pem"}, "server.pem", "server.key"),
         {.hosts = {"10-1-1-1.cloud.example.com", "cloud.example.com"}, .at = at("2030-01-01")},
         {FindingCode::host_mismatch},
         {0},
         "not valid for host \"cloud.example.com\""},
        {"ExpiredFoundByOpenssl",
         sources("root.pem", {"sub1.pem", "sub2.pem"}, "server.pem", "server.key"),
         {.domain_suffix = "cloud.example.com", .at = at("2200-01-01")},
         {FindingCode::expired, FindingCode::expired, FindingCode::expired, FindingCode::expired},
         {3, 2, 1, 0},  // OpenSSL meets them root first
         ""},
    };
}

class CustomChainRules : public ::testing::TestWithParam<Case> {};

TEST_P(CustomChainRules, FindsExactlyWhatIsWrong) {
    const Case& c = GetParam();
    const CustomChainVerdict verdict = judge_custom_chain(read_custom_chain(c.sources), c.expected);
    std::vector<FindingCode> codes;
    std::vector<std::optional<std::size_t>> indexes;
    for (const pki::Finding& f : verdict.findings) {
        codes.push_back(f.code);
        indexes.push_back(f.certificate_index);
    }
    std::string all;
    for (const pki::Finding& f : verdict.findings) {
        all += f.message + "\n";
    }
    EXPECT_EQ(codes, c.codes) << all;
    EXPECT_EQ(indexes, c.indexes) << all;
    EXPECT_EQ(verdict.is_clean(), c.codes.empty());
    if (!c.message.empty()) {
        ASSERT_FALSE(verdict.findings.empty());
        EXPECT_NE(verdict.findings.front().message.find(c.message), std::string::npos) << all;
    }
}

INSTANTIATE_TEST_SUITE_P(Seed004, CustomChainRules, ::testing::ValuesIn(cases()), [](const auto& param_info) {
    return param_info.param.name;
});

TEST(CustomChain, NumbersRolesLeafFirst) {
    const CustomChain chain =
        read_custom_chain(sources("root.pem", {"sub1.pem", "sub2.pem"}, "server.pem", ""));
    const auto certificates = chain.leaf_first();
    ASSERT_EQ(certificates.size(), 4U);
    EXPECT_EQ(certificates[1]->subject_common_name(), "certfleet Chain Sub CA 2");
    EXPECT_EQ(chain.role_of(0), "server");
    EXPECT_EQ(chain.role_of(1), "intermediate 2");
    EXPECT_EQ(chain.role_of(2), "intermediate 1");
    EXPECT_EQ(chain.role_of(3), "root");
}

TEST(CustomChain, RefusesARootFileWithSeveralCertificates) {
    const testing::TempDir dir;
    const std::string two =
        dir.write("two.pem", read_fixture("chain/root.pem") + read_fixture("chain/sub1.pem"));
    CustomChainSources s = sources("root.pem", {}, "server.pem", "");
    s.root = two;
    try {
        read_custom_chain(s);
        FAIL() << "accepted two roots";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_NE(std::string(e.what()).find("--root"), std::string::npos) << e.what();
    }
}

TEST(CustomChain, RefusesAKeyFileWithoutAKey) {
    EXPECT_THROW(read_custom_chain(sources("root.pem", {}, "server.pem", "sub1.pem")), core::Error);
}

TEST(UrlEncode, MatchesPythonUrllibQuote) {
    // chain/server.url.txt is urllib.parse.quote(server.pem, safe='/') made by make_chain_data.sh.
    EXPECT_EQ(url_encode(read_fixture("chain/server.pem")), read_fixture("chain/server.url.txt"));
    EXPECT_EQ(url_encode("a+b/c= d\n~_.-"), "a%2Bb/c%3D%20d%0A~_.-");
}

}  // namespace
}  // namespace certfleet::external_ca
