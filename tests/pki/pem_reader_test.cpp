#include "pki/pem_reader.hpp"

#include "core/error.hpp"
#include "fixture_files.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

namespace certfleet::pki {
namespace {

using certfleet::testing::read_fixture;
using ::testing::AllOf;
using ::testing::HasSubstr;

// The DER of server.pem, as the reference every lenient form must decode to.
Bytes server_der() {
    return to_bytes(read_fixture("pki/server.der"));
}

std::string error_of(std::string_view text, std::string_view source) {
    try {
        read_pem_blocks(text, source);
    } catch (const core::Error& e) {
        EXPECT_EQ(e.code(), core::ErrorCode::invalid_input);
        return e.what();
    }
    ADD_FAILURE() << "no error";
    return {};
}

TEST(ReadPemBlocks, ReadsEveryBlockInOrderWithItsLabelAndLine) {
    const auto blocks = read_pem_blocks(read_fixture("pki/bundle_with_key.pem"), "bundle.pem");
    ASSERT_EQ(blocks.size(), 3U);
    EXPECT_EQ(blocks[0].label, "CERTIFICATE");
    EXPECT_EQ(blocks[1].label, "CERTIFICATE");
    EXPECT_EQ(blocks[2].label, "PRIVATE KEY");
    EXPECT_EQ(blocks[0].line, 1U);
    EXPECT_GT(blocks[1].line, blocks[0].line);
    EXPECT_GT(blocks[2].line, blocks[1].line);
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        EXPECT_EQ(blocks[i].index, i + 1);
    }
    EXPECT_EQ(blocks[0].der, server_der());
}

TEST(ReadPemBlocks, ReadsBlocksInAnyOrder) {
    const std::string key = read_fixture("pki/server.key");
    const std::string cert = read_fixture("pki/server.pem");
    const auto blocks = read_pem_blocks(key + cert, "key-first.pem");
    ASSERT_EQ(blocks.size(), 2U);
    EXPECT_EQ(blocks[0].label, "PRIVATE KEY");
    EXPECT_EQ(blocks[1].label, "CERTIFICATE");
    EXPECT_EQ(blocks[1].der, server_der());
}

TEST(ReadPemBlocks, AcceptsCrlfLineEndsAndNoFinalNewline) {
    const std::string crlf = read_fixture("pki/crlf.pem");
    ASSERT_NE(crlf.find("\r\n"), std::string::npos);
    ASSERT_NE(crlf.back(), '\n');
    const auto blocks = read_pem_blocks(crlf, "crlf.pem");
    ASSERT_EQ(blocks.size(), 1U);
    EXPECT_EQ(blocks[0].der, server_der());
}

TEST(ReadPemBlocks, SkipsTextBeforeAndAfterTheBlocks) {
    const std::string text = read_fixture("pki/text_and_pem.pem") + "trailing words\n";
    const auto blocks = read_pem_blocks(text, "text.pem");
    ASSERT_EQ(blocks.size(), 1U);
    EXPECT_EQ(blocks[0].der, server_der());
    EXPECT_GT(blocks[0].line, 10U);
}

TEST(ReadPemBlocks, DecodesUrlEncodedPemFromQuote) {
    const auto blocks = read_pem_blocks(read_fixture("pki/url_encoded.txt"), "url.txt");
    ASSERT_EQ(blocks.size(), 1U);
    EXPECT_EQ(blocks[0].der, server_der());
}

TEST(ReadPemBlocks, DecodesUrlEncodedPemFromQuotePlus) {
    const std::string text = read_fixture("pki/url_encoded_plus.txt");
    ASSERT_NE(text.find("BEGIN+"), std::string::npos);
    const auto blocks = read_pem_blocks(text, "url_plus.txt");
    ASSERT_EQ(blocks.size(), 1U);
    EXPECT_EQ(blocks[0].der, server_der());
}

TEST(ReadPemBlocks, ReadsTrustedCertificateBlocks) {
    const auto blocks = read_pem_blocks(read_fixture("pki/trusted.pem"), "trusted.pem");
    ASSERT_EQ(blocks.size(), 1U);
    EXPECT_EQ(blocks[0].label, "TRUSTED CERTIFICATE");
    EXPECT_FALSE(blocks[0].der.empty());
}

TEST(ReadPemBlocks, NamesSourceBlockAndLineOfBadBase64) {
    const std::string what = error_of(read_fixture("pki/bad_base64.pem"), "node1/server.pem");
    EXPECT_THAT(what, AllOf(HasSubstr("node1/server.pem"), HasSubstr("block 1"), HasSubstr("line 5")));
    EXPECT_THAT(what, HasSubstr("base64"));
}

TEST(ReadPemBlocks, NamesTheSecondBlockWhenItIsTheDamagedOne) {
    const std::string root = read_fixture("pki/root.pem");
    const std::string text = root + read_fixture("pki/bad_base64.pem");
    const auto root_lines = static_cast<std::size_t>(std::count(root.begin(), root.end(), '\n'));
    const std::string what = error_of(text, "two.pem");
    EXPECT_THAT(what, HasSubstr("block 2"));
    EXPECT_THAT(what, HasSubstr("line " + std::to_string(root_lines + 5)));
}

TEST(ReadPemBlocks, SaysTheEndLineIsMissing) {
    const std::string what = error_of(read_fixture("pki/no_end.pem"), "no_end.pem");
    EXPECT_THAT(what, AllOf(HasSubstr("no_end.pem"), HasSubstr("block 1"), HasSubstr("END CERTIFICATE")));
}

TEST(ReadPemBlocks, SaysTheEndLineIsMissingBeforeTheNextBegin) {
    const std::string text = read_fixture("pki/no_end.pem") + read_fixture("pki/root.pem");
    EXPECT_THAT(error_of(text, "two.pem"), AllOf(HasSubstr("missing END"), HasSubstr("block 1")));
}

TEST(ReadPemBlocks, SaysTheEndLabelDoesNotMatchTheBegin) {
    const std::string what = error_of(read_fixture("pki/mismatched_end.pem"), "mismatch.pem");
    EXPECT_THAT(what, AllOf(HasSubstr("mismatch.pem"), HasSubstr("X509 CRL"), HasSubstr("CERTIFICATE")));
}

TEST(ReadPemBlocks, SkipsEncapsulatedHeadersAndKeepsThemInTheText) {
    const std::string key = read_fixture("pki/rsa_traditional.key");
    // A legacy-encrypted key as `openssl rsa -des3` writes it; the body need not be a real key here.
    std::string text = key;
    text.insert(text.find('\n') + 1,
                "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\n");
    const auto plain = read_pem_blocks(key, "plain.key");
    const auto headed = read_pem_blocks(text, "headed.key");
    ASSERT_EQ(headed.size(), 1U);
    EXPECT_EQ(headed[0].der, plain[0].der);
    EXPECT_THAT(headed[0].text, HasSubstr("Proc-Type: 4,ENCRYPTED"));
}

TEST(ReadPemBlocks, ReturnsNothingForTextWithoutBlocks) {
    EXPECT_TRUE(read_pem_blocks("just some words\n", "words.txt").empty());
    EXPECT_FALSE(contains_pem("just some words\n"));
    EXPECT_TRUE(contains_pem(read_fixture("pki/url_encoded.txt")));
}

TEST(ReadPemBlocks, RefusesAnEmptyBody) {
    EXPECT_THAT(error_of("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n", "empty.pem"),
                HasSubstr("empty"));
}

TEST(WritePem, WritesSixtyFourColumnsThatReadBack) {
    const Bytes der = server_der();
    const std::string pem = write_pem("CERTIFICATE", der);
    EXPECT_EQ(pem.rfind("-----BEGIN CERTIFICATE-----\n", 0), 0U);
    std::size_t start = pem.find('\n') + 1;
    while (start < pem.size()) {
        const std::size_t end = pem.find('\n', start);
        EXPECT_LE(end - start, 64U);
        start = end + 1;
    }
    EXPECT_EQ(pem, read_fixture("pki/server.pem"));
    EXPECT_EQ(read_pem_blocks(pem, "x")[0].der, der);
}

}  // namespace
}  // namespace certfleet::pki
