package io.ctifeeds.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expected values come from the RFC texts cited next to them (RFC 5952 sections 2 and 4,
 * RFC 4291 section 2.2, RFC 6052 section 2.4) and from the IANA special-purpose registries.
 */
class IpAddressTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "1.2.3.4|1.2.3.4",
        "0.0.0.0|0.0.0.0",
        "255.255.255.255|255.255.255.255",
        "77.90.185.20|77.90.185.20",
        "10.0.0.0|10.0.0.0",
        "100.1.10.200|100.1.10.200",
    })
    void acceptsIpv4(String input, String canonical) {
        IpAddress ip = IpAddress.parse(input);
        assertEquals(canonical, ip.value());
        assertEquals(4, ip.version());
        assertEquals("ipv4-addr", ip.stixType());
        assertEquals("IPv4-Addr", ip.openctiType());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // RFC 5952 section 4.1 (leading zeros) and 4.2.1 (shorten as much as possible)
        "2001:0db8::0001|2001:db8::1",
        "2001:db8:0:0:0:0:2:1|2001:db8::2:1",
        // RFC 5952 section 4.2.2: a single 16-bit 0 field is not shortened
        "2001:db8:0:1:1:1:1:1|2001:db8:0:1:1:1:1:1",
        // RFC 5952 section 4.2.3: longest run wins; on a tie the first run is shortened
        "2001:0:0:1:0:0:0:1|2001:0:0:1::1",
        "2001:db8:0:0:1:0:0:1|2001:db8::1:0:0:1",
        "0:0:1:0:0:1:1:1|::1:0:0:1:1:1",
        "1:1:0:0:1:1:0:0|1:1::1:1:0:0",
        // RFC 5952 section 2.1: the same address with different leading zeros
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:0001|2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:001|2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:01|2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
        // RFC 5952 section 2.2: zero compression variants
        "2001:db8:aaaa:bbbb:cccc:dddd::1|2001:db8:aaaa:bbbb:cccc:dddd:0:1",
        "2001:db8:0:0:0::1|2001:db8::1",
        "2001:db8:0:0::1|2001:db8::1",
        "2001:db8:0::1|2001:db8::1",
        "2001:db8::aaaa:0:0:1|2001:db8::aaaa:0:0:1",
        "2001:db8:0:0:aaaa::1|2001:db8::aaaa:0:0:1",
        // RFC 5952 section 2.3 and 4.3: upper and mixed case become lower case
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:AAAA|2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa",
        "2001:db8:aaaa:bbbb:cccc:dddd:eeee:AaAa|2001:db8:aaaa:bbbb:cccc:dddd:eeee:aaaa",
        // RFC 5952 section 2 / 4: all the writings of 2001:db8::1:0:0:1
        "2001:db8:0:0:1:0:0:1|2001:db8::1:0:0:1",
        "2001:0db8:0:0:1:0:0:1|2001:db8::1:0:0:1",
        "2001:db8::1:0:0:1|2001:db8::1:0:0:1",
        "2001:db8::0:1:0:0:1|2001:db8::1:0:0:1",
        "2001:0db8::1:0:0:1|2001:db8::1:0:0:1",
        "2001:db8:0:0:1::1|2001:db8::1:0:0:1",
        "2001:db8:0000:0:1::1|2001:db8::1:0:0:1",
        "2001:DB8:0:0:1::1|2001:db8::1:0:0:1",
        // RFC 4291 section 2.2 examples
        "2001:DB8:0:0:8:800:200C:417A|2001:db8::8:800:200c:417a",
        "FF01:0:0:0:0:0:0:101|ff01::101",
        "0:0:0:0:0:0:0:1|::1",
        "0:0:0:0:0:0:0:0|::",
        "0:0:0:0:0:0:13.1.68.3|::d01:4403",
        "::13.1.68.3|::d01:4403",
        // the ends of the group range and of the "::" forms
        "::|::",
        "::1|::1",
        "1::|1::",
        "1:0:0:0:0:0:0:0|1::",
        "::2:3:4:5:6:7:8|0:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::|1:2:3:4:5:6:7:0",
        "1:0:2:0:3:0:4:0|1:0:2:0:3:0:4:0",
        "1:0:0:2:0:0:0:3|1:0:0:2::3",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff|ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
        // RFC 6052 section 2.4: 192.0.2.33 under the NAT64 well-known prefix stays IPv6
        "64:ff9b::192.0.2.33|64:ff9b::c000:221",
        "64:ff9b::c000:221|64:ff9b::c000:221",
        // SIIT IPv4-translated (::ffff:0:0:0/96) is not IPv4-mapped
        "::ffff:0:1.2.3.4|::ffff:0:102:304",
    })
    void acceptsIpv6InRfc5952Form(String input, String canonical) {
        IpAddress ip = IpAddress.parse(input);
        assertEquals(canonical, ip.value());
        assertEquals(6, ip.version());
        assertEquals("ipv6-addr", ip.stixType());
        assertEquals("IPv6-Addr", ip.openctiType());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // RFC 4291 section 2.2 example 3 and section 2.5.5.2
        "::FFFF:129.144.52.38|129.144.52.38",
        "0:0:0:0:0:FFFF:129.144.52.38|129.144.52.38",
        "::ffff:1.2.3.4|1.2.3.4",
        "::ffff:192.0.2.128|192.0.2.128",
        // the same mapped address written in hex: c000:280 = 192.0.2.128
        "::ffff:c000:280|192.0.2.128",
        "0000:0000:0000:0000:0000:ffff:255.255.255.255|255.255.255.255",
        "::ffff:0:0|0.0.0.0",
    })
    void mapsIpv4MappedIpv6ToIpv4(String input, String ipv4) {
        IpAddress ip = IpAddress.parse(input);
        assertEquals(new IpAddress(ipv4, 4), ip);
        assertEquals("ipv4-addr", ip.stixType());
    }

    @Test
    void mappedPrivateAddressIsClassifiedAsIpv4() {
        assertEquals(Optional.of("private"), IpAddress.parse("::ffff:10.0.0.1").nonPublicReason());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {
        "", " ", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4\n", "1.2.3.4\t", "1.2. 3.4",
        "1.2.3", "1.2.3.4.5", "1.2.3.", ".1.2.3.4", "1..2.3", "1.2.3.4.",
        "256.1.1.1", "1.2.3.256", "999.1.1.1", "1000.1.1.1", "1.2.3.2555",
        "010.1.1.1", "1.2.3.04", "00.1.1.1", "1.2.3.000",
        "1.2.3.0/24", "1.2.3.4/32", "1.2.3.4-1.2.3.10", "1.2.3.4:80", "1.2.3.4,5.6.7.8",
        "[::1]", "[::1]:80", "fe80::1%eth0", "fe80::1%1", "2001:db8::/32",
        "example.com", "localhost", "deadbeef", "cafe.babe", "abc", "a.b.c.d", "1.2.3.a",
        "16909060", "0x01020304", "0x1.0x2.0x3.0x4", "*.1.2.3",
        "\uff11.\uff12.\uff13.\uff14", "1.2.3.\u0664", "1.2.3.4\u0000", "1.2.3.4\u200b",
        ":", ":::", "1:::2", ":1::", ":1:2:3:4:5:6:7:8", "1::2:", "1:2:3:4:5:6:7:8:",
        "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "::1::", "12345::", "1:2:3:4:5:6:7:8::",
        "::1:2:3:4:5:6:7:8", "1:2:3:4::5:6:7:8", "g::1", "::ffff:1.2.3", "::ffff:01.2.3.4",
        "::ffff:256.1.1.1", "1.2.3.4::", "::1.2.3.4:5", "::1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4",
        "1:2:3:4:5:6::1.2.3.4", "::ffff:1.2.3.4/96", "1:2:3:4:5:6:7:8/64", "::ffff:.1.2.3",
        "0000:0000:0000:0000:0000:0000:0000:0000:0",
        "00000:0:0:0:0:0:0:0",
    })
    void rejects(String input) {
        assertThrows(InvalidIpAddressException.class, () -> IpAddress.parse(input));
    }

    @ParameterizedTest(name = "[{0}] -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "1.2.3.0/24|CIDR prefix not allowed",
        "fe80::1%eth0|zone id not allowed",
        "1.2.3.4-1.2.3.10|range not allowed",
        "1.2.3.4:80|port not allowed",
        "[::1]:80|brackets not allowed",
        "example.com|hostname, not an IP address",
        "deadbeef|hostname, not an IP address",
        "010.1.1.1|IPv4 octet with a leading zero (octal or decimal?)",
        "256.1.1.1|IPv4 octet > 255",
        "1.2.3|fewer than 4 IPv4 octets",
        "1.2.3.4.5|more than 4 IPv4 octets",
        "1::2::3|more than one '::'",
        "1:2:3:4:5:6:7|too few IPv6 groups",
        "12345::|IPv6 group longer than 4 hex digits",
        "1.2.3.\u0664|non-ASCII character",
        "\"1.2.3.4 \"|contains whitespace",
    })
    void rejectionReasonIsSpecific(String input, String reason) {
        InvalidIpAddressException e = assertThrows(InvalidIpAddressException.class, () -> IpAddress.parse(input));
        assertEquals(reason, e.reason());
        assertEquals(reason, e.getMessage());
    }

    @Test
    void rejectsNullAndOverlongTextWithoutScanningIt() {
        assertThrows(InvalidIpAddressException.class, () -> IpAddress.parse(null));
        InvalidIpAddressException e = assertThrows(InvalidIpAddressException.class,
                () -> IpAddress.parse("1".repeat(10_000)));
        assertEquals("too long for an IP address", e.reason());
        assertTrue(IllegalArgumentException.class.isAssignableFrom(InvalidIpAddressException.class));
    }

    @Test
    void validIpv4TextIsReturnedAsIs() {
        // The strict grammar admits only the canonical form, so no copy is needed on the hot path.
        String text = "77.90.185.20";
        assertSame(text, IpAddress.parse(text).value());
    }

    @Test
    void constructorOnlyAcceptsCanonicalValues() {
        assertEquals(IpAddress.parse("2001:db8::1"), new IpAddress("2001:db8::1", 6));
        assertEquals(IpAddress.parse("1.2.3.4"), new IpAddress("1.2.3.4", 4));
        assertThrows(IllegalArgumentException.class, () -> new IpAddress("2001:DB8::1", 6));
        assertThrows(IllegalArgumentException.class, () -> new IpAddress("2001:db8:0:0:0:0:0:1", 6));
        assertThrows(IllegalArgumentException.class, () -> new IpAddress("::ffff:1.2.3.4", 6));
        assertThrows(IllegalArgumentException.class, () -> new IpAddress("1.2.3.4", 6));
        assertThrows(IllegalArgumentException.class, () -> new IpAddress("::1", 4));
        assertThrows(IllegalArgumentException.class, () -> new IpAddress("1.2.3.4", 5));
        assertThrows(IllegalArgumentException.class, () -> new IpAddress("example.com", 4));
        assertThrows(IllegalArgumentException.class, () -> new IpAddress(null, 4));
    }

    @Test
    void equalAddressesWrittenDifferentlyAreEqual() {
        assertEquals(IpAddress.parse("2001:DB8:0:0:0:0:0:1"), IpAddress.parse("2001:db8::0001"));
        assertEquals(IpAddress.parse("::ffff:8.8.8.8"), IpAddress.parse("8.8.8.8"));
        assertFalse(IpAddress.parse("::8.8.8.8").equals(IpAddress.parse("8.8.8.8")),
                "IPv4-compatible (deprecated) is not IPv4-mapped and stays IPv6");
        assertEquals("2001:db8::1", IpAddress.parse("2001:db8::1").toString());
    }

    /** Boundaries are the first and last address of each block and the neighbours outside it. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "PUBLIC", value = {
        "0.0.0.0|unspecified",
        "0.0.0.1|this network",
        "0.255.255.255|this network",
        "1.0.0.0|PUBLIC",
        "9.255.255.255|PUBLIC",
        "10.0.0.0|private",
        "10.255.255.255|private",
        "11.0.0.0|PUBLIC",
        "100.63.255.255|PUBLIC",
        "100.64.0.0|shared (CGNAT)",
        "100.127.255.255|shared (CGNAT)",
        "100.128.0.0|PUBLIC",
        "126.255.255.255|PUBLIC",
        "127.0.0.0|loopback",
        "127.0.0.1|loopback",
        "127.255.255.255|loopback",
        "128.0.0.0|PUBLIC",
        "169.253.255.255|PUBLIC",
        "169.254.0.0|link-local",
        "169.254.255.255|link-local",
        "169.255.0.0|PUBLIC",
        "172.15.255.255|PUBLIC",
        "172.16.0.0|private",
        "172.31.255.255|private",
        "172.32.0.0|PUBLIC",
        "191.255.255.255|PUBLIC",
        "192.0.0.0|reserved (IETF protocol assignments)",
        "192.0.0.255|reserved (IETF protocol assignments)",
        "192.0.1.0|PUBLIC",
        "192.0.2.0|documentation",
        "192.0.2.255|documentation",
        "192.0.3.0|PUBLIC",
        "192.88.98.255|PUBLIC",
        "192.88.99.0|reserved (6to4 relay anycast, deprecated)",
        "192.88.99.255|reserved (6to4 relay anycast, deprecated)",
        "192.88.100.0|PUBLIC",
        "192.167.255.255|PUBLIC",
        "192.168.0.0|private",
        "192.168.255.255|private",
        "192.169.0.0|PUBLIC",
        "198.17.255.255|PUBLIC",
        "198.18.0.0|benchmarking",
        "198.19.255.255|benchmarking",
        "198.20.0.0|PUBLIC",
        "198.51.99.255|PUBLIC",
        "198.51.100.0|documentation",
        "198.51.100.255|documentation",
        "198.51.101.0|PUBLIC",
        "203.0.112.255|PUBLIC",
        "203.0.113.0|documentation",
        "203.0.113.255|documentation",
        "203.0.114.0|PUBLIC",
        "223.255.255.255|PUBLIC",
        "224.0.0.0|multicast",
        "239.255.255.255|multicast",
        "240.0.0.0|reserved (future use)",
        "255.255.255.254|reserved (future use)",
        "255.255.255.255|broadcast",
        "8.8.8.8|PUBLIC",
        "77.90.185.20|PUBLIC",
    })
    void classifiesIpv4(String address, String reason) {
        assertClassification(address, reason);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "PUBLIC", value = {
        "::|unspecified",
        "::1|loopback",
        "::2|reserved (not global unicast)",
        "::1.2.3.4|reserved (not global unicast)",
        "64:ff9b::|NAT64 (well-known prefix)",
        "64:ff9b::ffff:ffff|NAT64 (well-known prefix)",
        "64:ff9b::1:0:0|reserved (not global unicast)",
        "64:ff9b:1::|NAT64 (local use)",
        "64:ff9b:1:ffff:ffff:ffff:ffff:ffff|NAT64 (local use)",
        "64:ff9b:2::|reserved (not global unicast)",
        "100::|discard-only",
        "100::ffff:ffff:ffff:ffff|discard-only",
        "100:0:0:1::|reserved (not global unicast)",
        "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff|reserved (not global unicast)",
        "2001::|Teredo",
        "2001:0:ffff:ffff:ffff:ffff:ffff:ffff|Teredo",
        "2001:1::1|reserved (IETF protocol assignments)",
        "2001:2::|benchmarking",
        "2001:2:0:ffff:ffff:ffff:ffff:ffff|benchmarking",
        "2001:2:1::|reserved (IETF protocol assignments)",
        "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff|reserved (IETF protocol assignments)",
        "2001:200::|PUBLIC",
        "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff|PUBLIC",
        "2001:db8::|documentation",
        "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff|documentation",
        "2001:db9::|PUBLIC",
        "2001:4860:4860::8888|PUBLIC",
        "2a00:1450:4001:81c::200e|PUBLIC",
        "3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff|PUBLIC",
        "3fff::|documentation",
        "3fff:fff:ffff:ffff:ffff:ffff:ffff:ffff|documentation",
        "3fff:1000::|PUBLIC",
        "4000::|reserved (not global unicast)",
        "5f00::|reserved (SRv6 SIDs)",
        "fbff:ffff:ffff:ffff:ffff:ffff:ffff:ffff|reserved (not global unicast)",
        "fc00::|private (unique local)",
        "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff|private (unique local)",
        "fe00::|reserved (not global unicast)",
        "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff|reserved (not global unicast)",
        "fe80::|link-local",
        "fe80::1|link-local",
        "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff|link-local",
        "fec0::|site-local (deprecated)",
        "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff|site-local (deprecated)",
        "ff00::|multicast",
        "ff02::1|multicast",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff|multicast",
        // 6to4 takes the status of the IPv4 in bits 16-47 (RFC 3056 section 2)
        "2002:808:808::1|PUBLIC",
        "2002:c0a8:101::1|6to4 of a non-public IPv4 (private)",
        "2002:c000:201::|6to4 of a non-public IPv4 (documentation)",
        "2002::|6to4 of a non-public IPv4 (unspecified)",
        "2001:ffff:ffff:ffff:ffff:ffff:ffff:ffff|PUBLIC",
        "2003::|PUBLIC",
    })
    void classifiesIpv6(String address, String reason) {
        assertClassification(address, reason);
    }

    private static void assertClassification(String address, String reason) {
        IpAddress ip = IpAddress.parse(address);
        assertEquals(Optional.ofNullable(reason), ip.nonPublicReason(), address);
        assertEquals(reason == null, ip.isPublic(), address);
    }

    @Test
    void anIpv4AddressGivesItsThirtyTwoBits() {
        assertEquals(0x01020304, IpAddress.parse("1.2.3.4").ipv4Bits());
        assertEquals(0x81000001, IpAddress.parse("129.0.0.1").ipv4Bits(), "the high bit set: negative as an int");
        assertThrows(IllegalStateException.class, () -> IpAddress.parse("2001:db8::1").ipv4Bits());
    }
}
