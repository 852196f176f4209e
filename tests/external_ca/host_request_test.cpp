#include "external_ca/host_request.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::external_ca {
namespace {

using pki::GeneralName;

TEST(SubjectFor, PutsTheHostInFrontOfATemplateWithoutCommonName) {
    EXPECT_EQ(subject_for("node1.example.com", "O=Acme,C=GR"), "CN=node1.example.com,O=Acme,C=GR");
}

TEST(SubjectFor, ReplacesTheNamePlaceholder) {
    EXPECT_EQ(subject_for("node1.example.com", "CN={name},OU=Hadoop"), "CN=node1.example.com,OU=Hadoop");
}

TEST(SubjectFor, RefusesATemplateThatIsNotASubject) {
    EXPECT_THROW(subject_for("node1", "Acme"), core::Error);
}

TEST(ParseHostFlag, TakesTheHostnameFirstThenItsAliases) {
    const HostRequest host = parse_host_flag("node1.example.com,node1,10.0.0.1", "CN={name}");
    EXPECT_EQ(host.name, "node1.example.com");
    EXPECT_EQ(host.subject, "CN=node1.example.com");
    const std::vector<GeneralName> expected = {{GeneralName::Kind::dns, "node1.example.com"},
                                               {GeneralName::Kind::dns, "node1"},
                                               {GeneralName::Kind::ip, "10.0.0.1"}};
    EXPECT_EQ(host.subject_alt_names, expected);
}

TEST(ParseHostFlag, RefusesAnInvalidHostname) {
    EXPECT_THROW(parse_host_flag("bad name", "CN={name}"), core::Error);
    EXPECT_THROW(parse_host_flag("10.0.0.1", "CN={name}"), core::Error);
    EXPECT_THROW(parse_host_flag("", "CN={name}"), core::Error);
}

TEST(ParseHostList, ReadsTemplateKeyTypeAndPerHostSubject) {
    const CsrPlan plan = parse_host_list(R"(
subject: "O=Acme,C=GR"
key_type: ec:p384
hosts:
  - name: node1.example.com
    aliases: [node1]
  - name: edge1.example.com
    subject: "CN=edge1.example.com,OU=Edge"
)",
                                         "hosts.yaml");
    EXPECT_EQ(plan.key_spec.to_string(), "ec:p384");
    ASSERT_EQ(plan.hosts.size(), 2U);
    EXPECT_EQ(plan.hosts[0].subject, "CN=node1.example.com,O=Acme,C=GR");
    EXPECT_EQ(plan.hosts[0].subject_alt_names.size(), 2U);
    EXPECT_EQ(plan.hosts[1].subject, "CN=edge1.example.com,OU=Edge");
}

TEST(ParseHostList, NamesTheFileAndHostOfABadEntry) {
    try {
        parse_host_list("hosts:\n  - name: ok.example.com\n  - aliases: [x]\n", "hosts.yaml");
        FAIL() << "accepted a host without a name";
    } catch (const core::Error& e) {
        EXPECT_NE(std::string(e.what()).find("hosts.yaml: hosts[2]"), std::string::npos) << e.what();
    }
}

TEST(ParseHostList, RefusesDuplicatesEmptyListsAndBrokenYaml) {
    EXPECT_THROW(parse_host_list("hosts:\n  - name: a.example\n  - name: a.example\n", "h"), core::Error);
    EXPECT_THROW(parse_host_list("hosts: []\n", "h"), core::Error);
    EXPECT_THROW(parse_host_list("hosts: [\n", "h"), core::Error);
    EXPECT_THROW(parse_host_list("key_type: dsa\nhosts:\n  - name: a.example\n", "h"), core::Error);
}

}  // namespace
}  // namespace certfleet::external_ca
