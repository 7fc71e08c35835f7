package io.ctifeeds.ip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Checks the hand-written parser against independent oracles on many generated inputs:
 * a regex transcription of the dotted-quad grammar, the JDK's IPv6 literal parser, and a
 * brute-force reading of RFC 5952 section 4.2. Seeds are fixed so a failure reproduces.
 */
class IpAddressCrossCheckTest {

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])";
    private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    @Test
    void everyOctetSpellingAgreesWithTheDottedQuadGrammar() {
        int accepted = 0;
        for (int length = 1; length <= 4; length++) {
            for (int n = 0; n < Math.pow(10, length); n++) {
                String octet = String.format("%0" + length + "d", n);
                for (String text : List.of(octet + ".1.1.1", "1.1.1." + octet, "9." + octet + ".9.9")) {
                    boolean expected = DOTTED_QUAD.matcher(text).matches();
                    assertEquals(expected, accepts(text), text);
                    accepted += expected ? 1 : 0;
                }
            }
        }
        assertEquals(3 * 256, accepted, "each of 0..255 has exactly one accepted spelling");
    }

    @Test
    void randomDigitsAndDotsAgreeWithTheDottedQuadGrammar() {
        Random random = new Random(42);
        String alphabet = "0123456789..";
        int accepted = 0;
        for (int round = 0; round < 200_000; round++) {
            String text = randomString(random, alphabet, 7 + random.nextInt(10));
            boolean expected = DOTTED_QUAD.matcher(text).matches();
            assertEquals(expected, accepts(text), text);
            accepted += expected ? 1 : 0;
        }
        assertTrue(accepted > 100, "the generator must also produce valid addresses, got " + accepted);
    }

    @Test
    void generatedIpv6SpellingsMatchTheJdkAndRfc5952() throws UnknownHostException {
        Random random = new Random(7);
        for (int round = 0; round < 50_000; round++) {
            int[] groups = randomGroups(random);
            String text = spell(random, groups);
            IpAddress ip = IpAddress.parse(text);

            byte[] bytes = InetAddress.getByName(text).getAddress(); // text has ':', so no DNS
            if (groups[0] == 0 && groups[1] == 0 && groups[2] == 0 && groups[3] == 0
                    && groups[4] == 0 && groups[5] == 0xffff) {
                assertEquals(4, ip.version(), text);
                assertEquals(String.format("%d.%d.%d.%d", groups[6] >>> 8, groups[6] & 0xff,
                        groups[7] >>> 8, groups[7] & 0xff), ip.value(), text);
            } else {
                assertEquals(6, ip.version(), text);
                assertEquals(rfc5952(groups), ip.value(), text);
                assertArrayEquals(bytes, InetAddress.getByName(ip.value()).getAddress(), text);
            }
        }
    }

    /** Anything we accept the JDK reads as the same address; anything the JDK rejects, we reject. */
    @Test
    void randomIpv6LikeTextIsNeverLaxerThanTheJdk() {
        Random random = new Random(99);
        String alphabet = "0123456789abcdefABCDEF::::::..";
        int accepted = 0;
        for (int round = 0; round < 200_000; round++) {
            String text = randomString(random, alphabet, 2 + random.nextInt(20));
            char first = text.charAt(0);
            // InetAddress only treats text as a literal (no DNS) when it starts with a hex
            // digit or ':' and contains ':'; skip everything else.
            if (text.indexOf(':') < 0 || !(Character.digit(first, 16) >= 0 || first == ':')) {
                continue;
            }
            byte[] jdk;
            try {
                jdk = InetAddress.getByName(text).getAddress();
            } catch (UnknownHostException e) {
                jdk = null;
            }
            IpAddress ip;
            try {
                ip = IpAddress.parse(text);
            } catch (InvalidIpAddressException e) {
                continue;
            }
            accepted++;
            if (jdk == null) {
                fail("accepted what the JDK rejects: " + text);
            }
            try {
                assertArrayEquals(jdk, InetAddress.getByName(ip.value()).getAddress(), text);
            } catch (UnknownHostException e) {
                fail("canonical form is not a literal: " + ip.value());
            }
        }
        assertTrue(accepted > 100, "the generator must also produce valid addresses, got " + accepted);
    }

    private static boolean accepts(String text) {
        try {
            IpAddress ip = IpAddress.parse(text);
            assertEquals(text, ip.value());
            return true;
        } catch (InvalidIpAddressException e) {
            return false;
        }
    }

    private static String randomString(Random random, String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** Zeros are frequent so that runs, ties and the mapped prefix all occur. */
    private static int[] randomGroups(Random random) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            int kind = random.nextInt(4);
            groups[i] = kind < 2 ? 0 : kind == 2 ? random.nextInt(0x10) : random.nextInt(0x10000);
        }
        if (random.nextInt(10) == 0) {
            groups = new int[] {0, 0, 0, 0, 0, 0xffff, random.nextInt(0x10000), random.nextInt(0x10000)};
        }
        return groups;
    }

    /** A valid RFC 4291 spelling: random case, leading zeros, "::" anywhere legal, dotted tail. */
    private static String spell(Random random, int[] groups) {
        List<String> fields = new ArrayList<>();
        boolean dotted = random.nextInt(4) == 0;
        int hexGroups = dotted ? 6 : 8;
        for (int i = 0; i < hexGroups; i++) {
            String hex = Integer.toHexString(groups[i]);
            hex = "0".repeat(random.nextInt(5 - hex.length())) + hex;
            fields.add(random.nextBoolean() ? hex.toUpperCase() : hex);
        }
        if (dotted) {
            fields.add((groups[6] >>> 8) + "." + (groups[6] & 0xff) + "." + (groups[7] >>> 8) + "." + (groups[7] & 0xff));
        }
        List<int[]> zeroRuns = new ArrayList<>();
        for (int start = 0; start < hexGroups; start++) {
            for (int end = start + 1; end <= hexGroups && groups[end - 1] == 0; end++) {
                zeroRuns.add(new int[] {start, end});
            }
        }
        if (zeroRuns.isEmpty() || random.nextInt(3) == 0) {
            return String.join(":", fields);
        }
        int[] run = zeroRuns.get(random.nextInt(zeroRuns.size()));
        return String.join(":", fields.subList(0, run[0])) + "::" + String.join(":", fields.subList(run[1], fields.size()));
    }

    /**
     * RFC 5952 section 4.2 by brute force over every possible "::" placement: only runs of two
     * or more zero fields (4.2.2), the run with the most fields (4.2.3, which decides by fields,
     * not by text length: "0:0:1:0:0:1:1:1" compresses the leading run), the first one on a tie.
     */
    private static String rfc5952(int[] groups) {
        List<String> hex = new ArrayList<>();
        for (int group : groups) {
            hex.add(Integer.toHexString(group));
        }
        int bestStart = -1;
        int bestEnd = -1;
        for (int start = 0; start < 8; start++) {
            for (int end = start + 2; end <= 8; end++) {
                boolean allZero = true;
                for (int i = start; i < end; i++) {
                    allZero &= groups[i] == 0;
                }
                if (allZero && end - start > bestEnd - bestStart) {
                    bestStart = start;
                    bestEnd = end;
                }
            }
        }
        if (bestStart < 0) {
            return String.join(":", hex);
        }
        return String.join(":", hex.subList(0, bestStart)) + "::" + String.join(":", hex.subList(bestEnd, 8));
    }
}
