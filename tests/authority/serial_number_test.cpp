#include "authority/serial_number.hpp"

#include "core/error.hpp"

#include <gtest/gtest.h>

namespace certfleet::authority {
namespace {

TEST(SerialNumber, IsPositiveSixteenBytesWithoutALeadingZero) {
    for (int i = 0; i < 100; ++i) {
        const SerialNumber serial = SerialNumber::random();
        ASSERT_EQ(serial.bytes.size(), 16U);
        EXPECT_LT(serial.bytes[0], 0x80);
        EXPECT_NE(serial.bytes[0], 0);
        EXPECT_EQ(serial.hex().size(), 32U);
    }
}

TEST(NormalizeSerialHex, AcceptsTheFormsOperatorsCopyFromOpenssl) {
    EXPECT_EQ(normalize_serial_hex("0A1B2C"), "0a1b2c");
    EXPECT_EQ(normalize_serial_hex("serial=0A1B2C"), "0a1b2c");
    EXPECT_EQ(normalize_serial_hex("0a:1b:2c"), "0a1b2c");
    EXPECT_EQ(normalize_serial_hex("0x0a1b2c"), "0a1b2c");
    EXPECT_EQ(normalize_serial_hex("00:0a:1b"), "0a1b");
    EXPECT_EQ(normalize_serial_hex("a1b"), "0a1b");
}

TEST(NormalizeSerialHex, RefusesWhatIsNotHex) {
    EXPECT_THROW(normalize_serial_hex("node1"), core::Error);
    EXPECT_THROW(normalize_serial_hex(""), core::Error);
    EXPECT_THROW(normalize_serial_hex("serial="), core::Error);
}

}  // namespace
}  // namespace certfleet::authority
