#include "acme/identifiers.hpp"

#include <gtest/gtest.h>

namespace certfleet::acme {
namespace {

nlohmann::json dns(std::initializer_list<const char*> names) {
    nlohmann::json out = nlohmann::json::array();
    for (const char* n : names) {
        out.push_back({{"type", "dns"}, {"value", n}});
    }
    return out;
}

const authority::Policy open_policy{};

TEST(OrderIdentifiers, AreLowerCasedSortedAndDeduplicated) {
    const auto r =
        check_order_identifiers(dns({"WWW.Example.test", "a.example.test", "www.example.test"}), open_policy);
    ASSERT_EQ(problem_of(r), nullptr) << problem_of(r)->detail;
    EXPECT_EQ(std::get<std::vector<std::string>>(r),
              (std::vector<std::string>{"a.example.test", "www.example.test"}));
}

TEST(OrderIdentifiers, AWildcardIsARejectedIdentifierNamingIt) {
    const auto r = check_order_identifiers(dns({"ok.example.test", "*.example.test"}), open_policy);
    const Problem* p = problem_of(r);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->type, ProblemType::rejected_identifier);
    ASSERT_EQ(p->subproblems.size(), 1U);
    EXPECT_EQ(p->subproblems[0].identifier, "*.example.test");
    EXPECT_NE(p->detail.find("dns-01"), std::string::npos);
    const nlohmann::json doc = p->to_json();
    EXPECT_EQ(doc["subproblems"][0]["identifier"]["value"], "*.example.test");
    EXPECT_EQ(doc["subproblems"][0]["type"], "urn:ietf:params:acme:error:rejectedIdentifier");
}

TEST(OrderIdentifiers, APolicyRefusalNamesTheRule) {
    authority::Policy policy;
    policy.allowed_domains = std::vector<std::string>{"*.example.test"};
    const auto r = check_order_identifiers(dns({"node1.example.test", "evil.example.org"}), policy);
    const Problem* p = problem_of(r);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->type, ProblemType::rejected_identifier);
    EXPECT_NE(p->detail.find("evil.example.org"), std::string::npos);
    EXPECT_NE(p->detail.find("allowed_domains"), std::string::npos) << p->detail;
    EXPECT_EQ(problem_of(check_order_identifiers(dns({"node1.example.test"}), policy)), nullptr);
}

TEST(OrderIdentifiers, OtherTypesAreUnsupportedAndBadShapesMalformed) {
    const nlohmann::json ip = {{{"type", "ip"}, {"value", "10.0.0.1"}}};
    EXPECT_EQ(problem_of(check_order_identifiers(ip, open_policy))->type,
              ProblemType::unsupported_identifier);
    EXPECT_EQ(problem_of(check_order_identifiers(nlohmann::json::array(), open_policy))->type,
              ProblemType::malformed);
    EXPECT_EQ(problem_of(check_order_identifiers(nlohmann::json{{"type", "dns"}}, open_policy))->type,
              ProblemType::malformed);
    EXPECT_EQ(problem_of(check_order_identifiers(dns({"bad_name!.test"}), open_policy))->type,
              ProblemType::rejected_identifier);
    nlohmann::json many = nlohmann::json::array();
    for (std::size_t i = 0; i <= max_identifiers; ++i) {
        many.push_back({{"type", "dns"}, {"value", "n" + std::to_string(i) + ".example.test"}});
    }
    EXPECT_EQ(problem_of(check_order_identifiers(many, open_policy))->type, ProblemType::malformed);
}

pki::Csr csr_for(const std::string& cn, std::vector<pki::GeneralName> names) {
    const pki::PrivateKey key = pki::PrivateKey::generate(pki::KeySpec::parse("ec:p256", "test"));
    return pki::Csr::create(
        {.subject = cn.empty() ? "O=Test" : "CN=" + cn, .subject_alt_names = std::move(names)}, key);
}

TEST(FinalizeCsr, MatchesWhenTheNamesAreTheOrdersInAnyCaseAndOrder) {
    const auto csr = csr_for(
        "A.example.test",
        {{pki::GeneralName::Kind::dns, "b.example.test"}, {pki::GeneralName::Kind::dns, "a.example.test"}});
    EXPECT_FALSE(check_csr_names(csr, {"a.example.test", "b.example.test"}).has_value());
}

TEST(FinalizeCsr, DifferentNamesAreBadCsrNamingWhatIsMissingAndExtra) {
    const auto csr = csr_for(
        "",
        {{pki::GeneralName::Kind::dns, "a.example.test"}, {pki::GeneralName::Kind::dns, "c.example.test"}});
    const auto p = check_csr_names(csr, {"a.example.test", "b.example.test"});
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->type, ProblemType::bad_csr);
    EXPECT_NE(p->detail.find("missing: b.example.test"), std::string::npos) << p->detail;
    EXPECT_NE(p->detail.find("not in the order: c.example.test"), std::string::npos) << p->detail;
}

TEST(FinalizeCsr, AnIpAddressIsBadCsr) {
    const auto csr = csr_for("a.example.test", {{pki::GeneralName::Kind::ip, "10.0.0.1"}});
    const auto p = check_csr_names(csr, {"a.example.test"});
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->type, ProblemType::bad_csr);
}

}  // namespace
}  // namespace certfleet::acme
