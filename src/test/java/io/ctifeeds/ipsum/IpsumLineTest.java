package io.ctifeeds.ipsum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ctifeeds.ip.IpAddress;
import io.ctifeeds.ipsum.IpsumLine.Entry;
import io.ctifeeds.ipsum.IpsumLine.Ignored;
import io.ctifeeds.ipsum.IpsumLine.Rejected;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpsumLineTest {

    @Test
    void countFormatLine() {
        assertEquals(new Entry(IpAddress.parse("77.90.185.20"), 10), IpsumLine.parse("77.90.185.20\t10"));
        assertEquals(new Entry(IpAddress.parse("1.1.220.166"), 1), IpsumLine.parse("1.1.220.166\t1"));
    }

    @Test
    void levelFormatLineHasNoCount() {
        Entry entry = assertInstanceOf(Entry.class, IpsumLine.parse("77.90.185.20"));
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
        assertEquals(new Entry(IpAddress.parse("77.90.185.20"), 10), IpsumLine.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"77.90.185.20\r", "\uFEFF77.90.185.20", " 77.90.185.20 ", "77.90.185.20\n"})
    void levelLineSurroundingsAreTolerated(String line) {
        assertEquals(new Entry(IpAddress.parse("77.90.185.20"), null), IpsumLine.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "\t", "\r", "\r\n", "\uFEFF", "\uFEFF\r",
        "#", "# IPsum Threat Intelligence Feed", "# IP\tnumber of (black)lists", "#\r",
        "  # indented comment", "\uFEFF# IPsum Threat Intelligence Feed", "#1.2.3.4\t5",
    })
    void commentsAndBlankLinesAreIgnored(String line) {
        assertInstanceOf(Ignored.class, IpsumLine.parse(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1.2.3.4\t0", "1.2.3.4\t00", "1.2.3.4\t-1", "1.2.3.4\t+1", "1.2.3.4\t2147483648",
        "1.2.3.4\t99999999999999999999999999", "1.2.3.4\tten", "1.2.3.4\t1.5", "1.2.3.4\t0x10",
        "1.2.3.4\t1e3", "1.2.3.4\t\u0661", "1.2.3.4\t5\u0000",
    })
    void badCountsAreRejected(String line) {
        Rejected rejected = assertInstanceOf(Rejected.class, IpsumLine.parse(line));
        assertTrue(rejected.reason().startsWith("count"), rejected.reason());
    }

    @Test
    void largestIntCountIsAccepted() {
        assertEquals(Integer.MAX_VALUE, ((Entry) IpsumLine.parse("1.2.3.4\t2147483647")).count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4\t10\textra", "1.2.3.4 10 # note", "1.2.3.4\t10\t10", "1.2.3.4 5.6.7.8 3"})
    void extraColumnsAreRejected(String line) {
        assertEquals("more than two columns", ((Rejected) IpsumLine.parse(line)).reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1.2.3.0/24\t5", "1.2.3.0/24", "010.1.1.1\t3", "256.1.1.1", "example.com", "1.2.3.4:80\t2",
        "1.2.3.4-1.2.3.9", "1.2.3", "fe80::1%eth0\t1", "10\t1.2.3.4", "404: Not Found",
        "\u0000\u0001\u0002", "\uFFFD\uFFFD\uFFFD", "1.2.3.4\u00a0\t1", "\u00001.2.3.4",
    })
    void invalidAddressesAreRejected(String line) {
        Rejected rejected = assertInstanceOf(Rejected.class, IpsumLine.parse(line));
        assertTrue(rejected.reason().startsWith("invalid IP address: "), rejected.reason());
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>", "<!DOCTYPE html>", "  <html><head><title>429 Too Many Requests</title>", "<?xml version=\"1.0\"?>"})
    void markupIsRejected(String line) {
        assertEquals("markup (HTML/XML), not feed data", ((Rejected) IpsumLine.parse(line)).reason());
    }

    @Test
    void ipv6EntriesAreCanonical() {
        assertEquals(new Entry(new IpAddress("2001:db8::1", 6), 3), IpsumLine.parse("2001:DB8:0:0:0:0:0:1\t3"));
        assertEquals(new Entry(new IpAddress("2001:db8::1", 6), null), IpsumLine.parse("2001:0db8::0001"));
        assertEquals(new Entry(new IpAddress("1.2.3.4", 4), 2), IpsumLine.parse("::ffff:1.2.3.4\t2"));
    }

    @Test
    void nonPublicAddressesAreNotFilteredHere() {
        assertEquals(new Entry(IpAddress.parse("10.0.0.1"), 5), IpsumLine.parse("10.0.0.1\t5"));
        assertEquals(new Entry(IpAddress.parse("::1"), null), IpsumLine.parse("::1"));
    }

    @Test
    void lineLengthLimitIs4096Characters() {
        String padded = "1.2.3.4\t7" + " ".repeat(IpsumLineParser.MAX_LINE_LENGTH - 9);
        assertEquals(4096, padded.length());
        assertEquals(new Entry(IpAddress.parse("1.2.3.4"), 7), IpsumLine.parse(padded));

        Rejected rejected = (Rejected) IpsumLine.parse(padded + " ");
        assertEquals("line longer than 4096 characters", rejected.reason());

        Rejected huge = (Rejected) IpsumLine.parse("1.2.3.4\t" + "9".repeat(1_000_000));
        assertEquals("line longer than 4096 characters", huge.reason());
        assertEquals("1.2.3.4\\t" + "9".repeat(71) + "...", huge.sample());
    }

    @Test
    void sampleIsEscapedAndTruncated() {
        Rejected controls = (Rejected) IpsumLine.parse("bad\u0001line\twith\u001b[31m\u202eevil\\ \u00e9");
        assertEquals("bad\\u0001line\\twith\\u001b[31m\\u202eevil\\\\ \\u00e9", controls.sample());

        Rejected crlf = (Rejected) IpsumLine.parse("x\r\nFAKE LOG LINE\r");
        assertEquals("x\\r\\nFAKE LOG LINE\\r", crlf.sample());

        Rejected html = (Rejected) IpsumLine.parse("<html>" + "a".repeat(200));
        assertEquals("<html>" + "a".repeat(74) + "...", html.sample());

        Rejected exactly80 = (Rejected) IpsumLine.parse("z".repeat(80));
        assertEquals("z".repeat(80), exactly80.sample());
    }

    @Test
    void nullLineIsRejectedNotThrown() {
        assertInstanceOf(Rejected.class, IpsumLine.parse(null));
    }

    @Test
    void recordsGuardTheirInvariants() {
        IpAddress ip = IpAddress.parse("1.2.3.4");
        assertThrows(IllegalArgumentException.class, () -> new Entry(ip, 0));
        assertThrows(NullPointerException.class, () -> new Entry(null, 1));
        assertThrows(NullPointerException.class, () -> new Rejected(null, "x"));
        assertEquals(new Ignored(), IpsumLine.parse("#"));
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
            IpsumLine result = IpsumLine.parse(line);
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
