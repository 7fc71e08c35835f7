package io.ctifeeds.iplist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctifeeds.ip.IpAddress;
import io.ctifeeds.ip.IpNetwork;
import io.ctifeeds.ip.IpValue;
import io.ctifeeds.iplist.ListLine.Entry;
import io.ctifeeds.iplist.ListLine.Ignored;
import io.ctifeeds.iplist.ListLine.Rejected;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ListLineTest {

    @Test
    void countFormatLine() {
        assertEquals(new Entry(IpAddress.parse("77.90.185.20"), 10), ListLine.parse("77.90.185.20\t10"));
        assertEquals(new Entry(IpAddress.parse("1.1.220.166"), 1), ListLine.parse("1.1.220.166\t1"));
    }

    @Test
    void levelFormatLineHasNoCount() {
        Entry entry = assertInstanceOf(Entry.class, ListLine.parse("77.90.185.20"));
        assertEquals("77.90.185.20", entry.ip().value());
        assertNull(entry.count());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "77.90.185.20 10", "77.90.185.20  10", "77.90.185.20\t\t10", "77.90.185.20 \t 10",
        "  77.90.185.20\t10  ", "\t77.90.185.20\t10\t", "77.90.185.20\t10\r", "77.90.185.20\t10\r\n",
        "\uFEFF77.90.185.20\t10", "\uFEFF 77.90.185.20\t10\r", "77.90.185.20\t010",
    })
    void separatorsAndSurroundingsAreTolerated(String line) {
        assertEquals(new Entry(IpAddress.parse("77.90.185.20"), 10), ListLine.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"77.90.185.20\r", "\uFEFF77.90.185.20", " 77.90.185.20 ", "77.90.185.20\n"})
    void levelLineSurroundingsAreTolerated(String line) {
        assertEquals(new Entry(IpAddress.parse("77.90.185.20"), null), ListLine.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "\t", "\r", "\r\n", "\uFEFF", "\uFEFF\r",
        "#", "# IPsum Threat Intelligence Feed", "# IP\tnumber of (black)lists", "#\r",
        "  # indented comment", "\uFEFF# IPsum Threat Intelligence Feed", "#1.2.3.4\t5",
    })
    void commentsAndBlankLinesAreIgnored(String line) {
        assertInstanceOf(Ignored.class, ListLine.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1.2.3.4\t0", "1.2.3.4\t00", "1.2.3.4\t-1", "1.2.3.4\t+1", "1.2.3.4\t2147483648",
        "1.2.3.4\t99999999999999999999999999", "1.2.3.4\tten", "1.2.3.4\t1.5", "1.2.3.4\t0x10",
        "1.2.3.4\t1e3", "1.2.3.4\t\u0661", "1.2.3.4\t5\u0000",
    })
    void badCountsAreRejected(String line) {
        Rejected rejected = assertInstanceOf(Rejected.class, ListLine.parse(line));
        assertTrue(rejected.reason().startsWith("count"), rejected.reason());
    }

    @Test
    void largestIntCountIsAccepted() {
        assertEquals(Integer.MAX_VALUE, ((Entry) ListLine.parse("1.2.3.4\t2147483647")).count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4\t10\textra", "1.2.3.4 10 x # note", "1.2.3.4\t10\t10", "1.2.3.4 5.6.7.8 3"})
    void extraColumnsAreRejected(String line) {
        assertEquals("more than two columns", ((Rejected) ListLine.parse(line)).reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"; Spamhaus DROP List 2025/03/20", ";", "; EOF", "  ;x", "\uFEFF; header"})
    void semicolonCommentLinesAreIgnored(String line) {
        assertInstanceOf(Ignored.class, ListLine.parse(line));
    }

    @Test
    void trailingCommentsAreCut() {
        assertEquals(new Entry(IpValue.parse("1.10.16.0/20"), null), ListLine.parse("1.10.16.0/20 ; SBL256894"));
        assertEquals(new Entry(IpValue.parse("1.2.3.4"), 7), ListLine.parse("1.2.3.4\t7\t# seen by 7 lists"));
        assertEquals(new Entry(IpValue.parse("2001:db8::1"), null), ListLine.parse("2001:DB8::1#c"));
        assertEquals(new Entry(IpValue.parse("5.6.7.8"), null), ListLine.parse("5.6.7.8;x;y # z\r"));
    }

    @Test
    void cidrBlocksAreCanonicalNetworks() {
        Entry v4 = assertInstanceOf(Entry.class, ListLine.parse("1.10.16.0/20"));
        assertEquals(new IpNetwork(IpAddress.parse("1.10.16.0"), 20), v4.ip());
        assertEquals("1.10.16.0/20", v4.ip().value());
        assertEquals("ipv4-addr", v4.ip().stixType());
        // host bits are cleared: the list names the block that holds that address
        assertEquals("1.2.3.0/24", ((Entry) ListLine.parse("1.2.3.4/24")).ip().value());
        assertEquals("2001:db8::/32", ((Entry) ListLine.parse("2001:DB8:0:0::1/32")).ip().value());
        assertEquals("ipv6-addr", ((Entry) ListLine.parse("2a00:1450::/29 ; x")).ip().stixType());
        // a block of one address is that address
        assertEquals(IpAddress.parse("9.9.9.9"), ((Entry) ListLine.parse("9.9.9.9/32")).ip());
        assertEquals(IpAddress.parse("2606:4700::1"), ((Entry) ListLine.parse("2606:4700:0::1/128")).ip());
        assertEquals("0.0.0.0/0", ((Entry) ListLine.parse("8.8.8.8/0")).ip().value());
        assertEquals(new Entry(IpValue.parse("1.2.3.0/24"), 5), ListLine.parse("1.2.3.0/24\t5"));
    }

    @Test
    void blocksOverlappingReservedSpaceAreNotPublic() {
        assertTrue(IpValue.parse("1.10.16.0/20").nonPublicReason().isEmpty());
        assertEquals("private", IpValue.parse("10.1.0.0/16").nonPublicReason().orElseThrow());
        // wider than the reserved block it contains
        assertEquals("private", IpValue.parse("192.160.0.0/11").nonPublicReason().orElseThrow());
        assertEquals("private", IpValue.parse("172.0.0.0/10").nonPublicReason().orElseThrow());
        assertTrue(IpValue.parse("172.32.0.0/11").nonPublicReason().isEmpty());
        assertEquals("documentation", IpValue.parse("198.51.100.128/25").nonPublicReason().orElseThrow());
        assertTrue(IpValue.parse("2a00:1450::/29").nonPublicReason().isEmpty());
        assertEquals("documentation", IpValue.parse("2001:db8:1::/48").nonPublicReason().orElseThrow());
        assertTrue(IpValue.parse("2000::/3").nonPublicReason().isPresent(), "holds 2001:db8::/32 and 2002::/16");
        assertTrue(IpValue.parse("2002:a00::/24").nonPublicReason().orElseThrow().startsWith("6to4"),
                "6to4 of 10.0.0.0/8");
        assertTrue(IpValue.parse("2002:808:808::/48").nonPublicReason().isEmpty(), "6to4 of 8.8.8.8");
    }


    @ParameterizedTest
    @ValueSource(strings = {
        "1.2.3.0/33", "1.2.3.0/", "1.2.3.0/024", "1.2.3.0/2a", "::ffff:1.2.3.0/120", "2001:db8::/129", "010.1.1.1\t3", "256.1.1.1", "example.com", "1.2.3.4:80\t2",
        "1.2.3.4-1.2.3.9", "1.2.3", "fe80::1%eth0\t1", "10\t1.2.3.4", "404: Not Found",
        "\u0000\u0001\u0002", "\uFFFD\uFFFD\uFFFD", "1.2.3.4\u00a0\t1", "\u00001.2.3.4",
    })
    void invalidAddressesAreRejected(String line) {
        Rejected rejected = assertInstanceOf(Rejected.class, ListLine.parse(line));
        assertTrue(rejected.reason().startsWith("invalid IP address: "), rejected.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>", "<!DOCTYPE html>", "  <html><head><title>429 Too Many Requests</title>", "<?xml version=\"1.0\"?>"})
    void markupIsRejected(String line) {
        assertEquals("markup (HTML/XML), not feed data", ((Rejected) ListLine.parse(line)).reason());
    }

    @Test
    void ipv6EntriesAreCanonical() {
        assertEquals(new Entry(new IpAddress("2001:db8::1", 6), 3), ListLine.parse("2001:DB8:0:0:0:0:0:1\t3"));
        assertEquals(new Entry(new IpAddress("2001:db8::1", 6), null), ListLine.parse("2001:0db8::0001"));
        assertEquals(new Entry(new IpAddress("1.2.3.4", 4), 2), ListLine.parse("::ffff:1.2.3.4\t2"));
    }

    @Test
    void nonPublicAddressesAreNotFilteredHere() {
        assertEquals(new Entry(IpAddress.parse("10.0.0.1"), 5), ListLine.parse("10.0.0.1\t5"));
        assertEquals(new Entry(IpAddress.parse("::1"), null), ListLine.parse("::1"));
    }

    @Test
    void lineLengthLimitIs4096Characters() {
        String padded = "1.2.3.4\t7" + " ".repeat(ListLineParser.MAX_LINE_LENGTH - 9);
        assertEquals(4096, padded.length());
        assertEquals(new Entry(IpAddress.parse("1.2.3.4"), 7), ListLine.parse(padded));

        Rejected rejected = (Rejected) ListLine.parse(padded + " ");
        assertEquals("line longer than 4096 characters", rejected.reason());

        Rejected huge = (Rejected) ListLine.parse("1.2.3.4\t" + "9".repeat(1_000_000));
        assertEquals("line longer than 4096 characters", huge.reason());
        assertEquals("1.2.3.4\\t" + "9".repeat(71) + "...", huge.sample());
    }

    @Test
    void sampleIsEscapedAndTruncated() {
        Rejected controls = (Rejected) ListLine.parse("bad\u0001line\twith\u001b[31m\u202eevil\\ \u00e9");
        assertEquals("bad\\u0001line\\twith\\u001b[31m\\u202eevil\\\\ \\u00e9", controls.sample());

        Rejected crlf = (Rejected) ListLine.parse("x\r\nFAKE LOG LINE\r");
        assertEquals("x\\r\\nFAKE LOG LINE\\r", crlf.sample());

        Rejected html = (Rejected) ListLine.parse("<html>" + "a".repeat(200));
        assertEquals("<html>" + "a".repeat(74) + "...", html.sample());

        Rejected exactly80 = (Rejected) ListLine.parse("z".repeat(80));
        assertEquals("z".repeat(80), exactly80.sample());
    }

    @Test
    void nullLineIsRejectedNotThrown() {
        assertInstanceOf(Rejected.class, ListLine.parse(null));
    }

    @Test
    void recordsGuardTheirInvariants() {
        IpAddress ip = IpAddress.parse("1.2.3.4");
        assertThrows(IllegalArgumentException.class, () -> new Entry(ip, 0));
        assertThrows(NullPointerException.class, () -> new Entry(null, 1));
        assertThrows(NullPointerException.class, () -> new Rejected(null, "x"));
        assertEquals(new Ignored(), ListLine.parse("#"));
    }

    /** Random text and mutations of real lines never make parse() throw or return null. */
    @Test
    void noInputMakesParseThrow() {
        Random random = new Random(2026);
        String alphabet = "0123456789.:\t \r\n#abcdefABCDEF/%-[]<>x\uFEFF\u0000\u00e9\uFFFD\uD83D";
        String[] seeds = {"77.90.185.20\t10", "2001:db8::1\t3", "# IPsum", "1.2.3.4"};
        int entries = 0;
        for (int round = 0; round < 300_000; round++) {
            String line;
            if (round % 2 == 0) {
                StringBuilder text = new StringBuilder();
                int length = random.nextInt(30);
                for (int i = 0; i < length; i++) {
                    text.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                line = text.toString();
            } else {
                StringBuilder text = new StringBuilder(seeds[random.nextInt(seeds.length)]);
                int position = random.nextInt(text.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.insert(position, c);
                    case 1 -> text.setCharAt(Math.min(position, text.length() - 1), c);
                    default -> text.deleteCharAt(Math.min(position, text.length() - 1));
                }
                line = text.toString();
            }
            ListLine result = ListLine.parse(line);
            assertNotNull(result, line);
            if (result instanceof Rejected rejected) {
                assertTrue(rejected.sample().chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f), rejected.sample());
            } else if (result instanceof Entry) {
                entries++;
            }
        }
        assertTrue(entries > 1000, "mutations must also produce valid entries, got " + entries);
    }
}
