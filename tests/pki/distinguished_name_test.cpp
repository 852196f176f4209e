#include "pki/distinguished_name.hpp"

#include "core/error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certfleet::pki {
namespace {

using ::testing::HasSubstr;

std::string round_trip(std::string_view text) {
    return format_name(parse_name(text, "--subject").get());
}

TEST(ParseName, ReadsRfc4514MostSpecificFirst) {
    EXPECT_EQ(round_trip("CN=node1,O=Acme,C=GR"), "CN=node1,O=Acme,C=GR");
    const X509NamePtr name = parse_name("CN=node1,O=Acme,C=GR", "f");
    // Encoding order is the reverse of RFC 4514's: C first.
    EXPECT_EQ(OBJ_obj2nid(X509_NAME_ENTRY_get_object(X509_NAME_get_entry(name.get(), 0))), NID_countryName);
}

TEST(ParseName, ReadsOpensslSlashFormInEncodingOrder) {
    EXPECT_EQ(round_trip("/C=GR/O=Acme/CN=node1"), "CN=node1,O=Acme,C=GR");
}

TEST(ParseName, KeepsEscapedCommasAndTrimsSpaces) {
    EXPECT_EQ(round_trip("CN=node1, O=Acme\\, Inc."), "CN=node1,O=Acme\\, Inc.");
    EXPECT_EQ(common_name(parse_name(" CN = node1 ", "f").get()), "node1");
}

TEST(ParseName, KeepsUtf8AsUtf8) {
    EXPECT_EQ(round_trip("CN=Αθήνα,O=Ελλάδα"), "CN=Αθήνα,O=Ελλάδα");
}

TEST(ParseName, RefusesAnEmptySubject) {
    try {
        parse_name("  ", "--subject");
        FAIL() << "accepted an empty subject";
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        EXPECT_THAT(e.what(), HasSubstr("--subject: the subject is empty"));
    }
}

TEST(ParseName, RefusesPartsWithoutValuesOrWithUnknownTypes) {
    EXPECT_THAT([] { parse_name("node1", "--subject"); },
                ::testing::ThrowsMessage<core::Error>(HasSubstr("is not TYPE=value")));
    EXPECT_THAT([] { parse_name("CN=", "--subject"); },
                ::testing::ThrowsMessage<core::Error>(HasSubstr("empty value")));
    EXPECT_THAT([] { parse_name("FOO=bar", "--subject"); },
                ::testing::ThrowsMessage<core::Error>(HasSubstr("unknown attribute \"FOO\"")));
}

TEST(ParseName, RefusesACountryThatIsNotTwoLetters) {
    EXPECT_THROW(parse_name("CN=node1,C=Greece", "--subject"), core::Error);
}

TEST(CommonName, ReturnsTheLastCommonNameOrNothing) {
    EXPECT_EQ(common_name(parse_name("/CN=first/CN=second", "f").get()), "second");
    EXPECT_EQ(common_name(parse_name("O=Acme", "f").get()), "");
}

}  // namespace
}  // namespace certfleet::pki
