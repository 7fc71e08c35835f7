package io.ctifeeds.stix;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Expected values come from PROTOCOL §5.4 (ids computed with pycti's own generate_id bodies),
 * RFC 8785 and the Python uuid docs, never from this code. Where a rule has no published vector, the id is
 * the one src/test/resources/opencti/gen-pycti-ids.py prints (pycti's generate_id bodies restated, checked
 * against every pycti vector first): "script:" in a comment names the line it printed.
 */
class StixIdsTest {

    // PROTOCOL §5.4 key vectors
    private static final String IPSUM = "identity--4178f14f-6c2a-52d0-8e67-f111c9ad7560";
    private static final String CROWDSEC = "identity--5f18c204-0a7f-5061-a146-d29561d9c8aa";
    private static final String INDICATOR_1234 = "indicator--274128a4-2ad4-50b5-ae7b-b0dea1fa9861";
    private static final String IPV4_1234 = "ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4";
    private static final String IPV6_DB8_1 = "ipv6-addr--6469e3a9-b053-5e34-a025-9396ae051d26";
    private static final String AP_T1110 = "attack-pattern--272bb55a-8f0d-5d73-bb7c-dee9f8d2e586";
    private static final String AP_BRUTE_FORCE_NAME_ONLY = "attack-pattern--6ee446b8-971b-5b24-8f1c-35cc2bdcbb50";
    private static final String REL_BASED_ON = "relationship--a787645d-9c70-51d7-b74a-91f3c0a88d3f";
    private static final String REL_INDICATES = "relationship--bfddc743-b539-509b-b540-81f38f926baf";
    private static final String CVE_2021_44228 = "vulnerability--693c68fd-9a33-5d6d-b44e-407b6a48b05b";
    private static final String FRANCE = "location--b8d0549f-de06-5ebd-a6e9-d31a581dba5d";
    private static final String NOTE = "note--d954c35d-d0c7-554e-90b8-dac3cb5501c7";
    private static final String SIGHTING = "sighting--8b98a283-bb15-5a05-b8c6-fd540e32373b";
    private static final String LABEL_MALICIOUS_IP = "label--ff5f7611-ed46-5ace-9d89-d22e8c31490c";

    private static final String PATTERN_1234 = "[ipv4-addr:value = '1.2.3.4']";
    private static final String NOTE_CREATED = "2024-01-01T00:00:00.000Z";
    private static final String NOTE_CONTENT = "IP 1.2.3.4 was reported by CrowdSec.";

    // ---- §5.4 vectors -------------------------------------------------------------------------

    @Test
    void identityVectors() {
        assertEquals(IPSUM, StixIds.identity("IPsum", "organization"));
        assertEquals(CROWDSEC, StixIds.identity("CrowdSec", "organization"));
    }

    @Test
    void indicatorVector() {
        assertEquals(INDICATOR_1234, StixIds.indicator(PATTERN_1234));
    }

    @Test
    void observableVectors() {
        assertEquals(IPV4_1234, StixIds.observable("ipv4-addr", "1.2.3.4"));
        assertEquals(IPV6_DB8_1, StixIds.observable("ipv6-addr", "2001:db8::1"));
    }

    @Test
    void attackPatternVectors() {
        assertEquals(AP_T1110, StixIds.attackPattern("Brute Force", "T1110"));
        assertEquals(AP_BRUTE_FORCE_NAME_ONLY, StixIds.attackPattern("Brute Force", null));
    }

    @Test
    void relationshipVectors() {
        assertEquals(REL_BASED_ON, StixIds.relationship("based-on", INDICATOR_1234, IPV4_1234));
        assertEquals(REL_INDICATES, StixIds.relationship("indicates", INDICATOR_1234, AP_T1110));
    }

    @Test
    void vulnerabilityVector() {
        assertEquals(CVE_2021_44228, StixIds.vulnerability("CVE-2021-44228"));
    }

    @Test
    void locationVector() {
        assertEquals(FRANCE, StixIds.location("France", "Country"));
    }

    @Test
    void noteVector() {
        assertEquals(NOTE, StixIds.note(NOTE_CREATED, NOTE_CONTENT));
    }

    @Test
    void sightingVector() {
        assertEquals(SIGHTING, StixIds.sighting(INDICATOR_1234, List.of(CROWDSEC), null, null));
    }

    @Test
    void labelVector() {
        assertEquals(LABEL_MALICIOUS_IP, StixIds.label("malicious-ip"));
    }

    // ---- §5.4 canonical-string examples -------------------------------------------------------

    @Test
    void canonicalStringExamples() {
        String identity = "{\"identity_class\":\"organization\",\"name\":\"crowdsec\"}";
        assertEquals(identity, StixIds.canonicalJson(Map.of("name", "crowdsec", "identity_class", "organization")));
        assertEquals(CROWDSEC, "identity--" + StixIds.uuid5(StixIds.NAMESPACE, identity));

        String relationship = "{\"relationship_type\":\"based-on\",\"source_ref\":\"" + INDICATOR_1234
                + "\",\"target_ref\":\"" + IPV4_1234 + "\"}";
        assertEquals(relationship, StixIds.canonicalJson(
                Map.of("target_ref", IPV4_1234, "source_ref", INDICATOR_1234, "relationship_type", "based-on")));
        assertEquals(REL_BASED_ON, "relationship--" + StixIds.uuid5(StixIds.NAMESPACE, relationship));

        String sighting = "{\"sighting_of_ref\":\"" + INDICATOR_1234
                + "\",\"type\":\"sighting\",\"where_sighted_refs\":[\"" + CROWDSEC + "\"]}";
        assertEquals(sighting, StixIds.canonicalJson(Map.of(
                "type", "sighting", "where_sighted_refs", List.of(CROWDSEC), "sighting_of_ref", INDICATOR_1234)));
        assertEquals(SIGHTING, "sighting--" + StixIds.uuid5(StixIds.NAMESPACE, sighting));
    }

    // ---- uuid5 --------------------------------------------------------------------------------

    @Test
    void uuid5MatchesPythonDocsExample() {
        // Python docs: uuid.uuid5(uuid.NAMESPACE_DNS, 'python.org')
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        UUID u = StixIds.uuid5(dns, "python.org");
        assertEquals(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"), u);
        assertEquals(5, u.version());
        assertEquals(2, u.variant());
    }

    @Test
    void uuid5RejectsNamesWithoutUtf8Form() {
        // Python raises UnicodeEncodeError here; Java would silently hash '?'
        assertThrows(IllegalArgumentException.class, () -> StixIds.uuid5(StixIds.NAMESPACE, "a\uD800b"));
        assertThrows(IllegalArgumentException.class, () -> StixIds.uuid5(StixIds.NAMESPACE, "a\uDC00"));
        assertThrows(IllegalArgumentException.class, () -> StixIds.uuid5(StixIds.NAMESPACE, "\uDE00\uD83D"));
        assertThrows(IllegalArgumentException.class, () -> StixIds.label("x\uD83D"));
    }

    @Test
    void uuid5IsStableAcrossThreads() throws Exception {
        // one digest per thread: concurrent use must not mix state
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 2_000; i++) {
                        assertEquals(IPV4_1234, StixIds.observable("ipv4-addr", "1.2.3.4"));
                        assertEquals(CROWDSEC, StixIds.identity("CrowdSec", "organization"));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), failures);
    }

    // ---- canonicalisation edge cases ----------------------------------------------------------

    @Test
    void numbersUseEs6Format() {
        // PROTOCOL §5.1
        assertEquals("{\"n\":15169}", StixIds.canonicalJson(Map.of("n", 15169)));
        assertEquals("{\"n\":15169}", StixIds.canonicalJson(Map.of("n", 15169L)));
        assertEquals("{\"n\":1}", StixIds.canonicalJson(Map.of("n", 1.0)));
        assertEquals("{\"n\":100}", StixIds.canonicalJson(Map.of("n", 100)));
        assertEquals("{\"n\":1e+21}", StixIds.canonicalJson(Map.of("n", 1e21)));
        assertEquals("{\"n\":100000000000000000000}", StixIds.canonicalJson(Map.of("n", 1e20)));
        assertEquals("{\"n\":1e-7}", StixIds.canonicalJson(Map.of("n", 1e-7)));
        assertEquals("{\"n\":0.000001}", StixIds.canonicalJson(Map.of("n", 0.000001)));
        assertEquals("{\"n\":-0.5}", StixIds.canonicalJson(Map.of("n", -0.5)));
        assertEquals("{\"n\":0}", StixIds.canonicalJson(Map.of("n", -0.0)));
    }

    @Test
    void nanAndInfinityAreErrors() {
        assertThrows(IllegalArgumentException.class, () -> StixIds.canonicalJson(Map.of("n", Double.NaN)));
        assertThrows(IllegalArgumentException.class,
                () -> StixIds.canonicalJson(Map.of("n", Double.POSITIVE_INFINITY)));
        assertThrows(IllegalArgumentException.class, () -> StixIds.generate("x", Map.of("n", Double.NaN)));
    }

    @Test
    void rfc8785SampleWithNumbersStringsAndLiterals() {
        // RFC 8785 §3.2.2 input and §3.2.3 output
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("numbers", List.of(333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001));
        data.put("string", "\u20ac$" + (char) 0x0F + "\nA'B\"\\\\\"/");
        data.put("literals", Arrays.asList(null, true, false));
        String expected = """
                {"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],\
                "string":"€$\\u000f\\nA'B\\"\\\\\\\\\\"/"}""";
        assertEquals(expected, StixIds.canonicalJson(data));
    }

    @Test
    void keysSortByUtf16CodeUnits() {
        // RFC 8785 §3.2.3 sorting example: U+1F600 (surrogates D83D DE00) sorts before U+FB33,
        // although its code point is larger
        Map<String, String> data = new LinkedHashMap<>();
        data.put("\u20ac", "Euro Sign");
        data.put("\r", "Carriage Return");
        data.put("\ufb33", "Hebrew Letter Dalet With Dagesh");
        data.put("1", "One");
        data.put("\ud83d\ude00", "Emoji: Grinning Face");
        data.put("\u0080", "Control");
        data.put("\u00f6", "Latin Small Letter O With Diaeresis");
        String expected = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}";
        assertEquals(expected, StixIds.canonicalJson(data));
        assertEquals(expected, StringDictCanonicalizer.canonicalize(data));
    }

    @Test
    void upperCaseKeysSortBeforeLowerCase() {
        Map<String, String> data = Map.of("b", "1", "a", "2", "B", "3", "_", "4", "Z", "5");
        String expected = "{\"B\":\"3\",\"Z\":\"5\",\"_\":\"4\",\"a\":\"2\",\"b\":\"1\"}";
        assertEquals(expected, StixIds.canonicalJson(data));
        assertEquals(expected, StringDictCanonicalizer.canonicalize(data));
    }

    @Test
    void stringEscapes() {
        // only '"', '\' and U+0000..U+001F are escaped; short forms for \b \f \n \r \t, else lower-case backslash-u-00xx
        String value = "q\" b\\ \b\f\n\r\t " + (char) 0x00 + (char) 0x01 + (char) 0x0B + (char) 0x1F
                + " \u007f \u0080 é € \u2028 \ud83d\ude00 / <>&'";
        String expected = "{\"v\":\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0000\\u0001\\u000b\\u001f"
                + " \u007f \u0080 é € \u2028 \ud83d\ude00 / <>&'\"}";
        assertEquals(expected, StixIds.canonicalJson(Map.of("v", value)));
        assertEquals(expected, StringDictCanonicalizer.canonicalize(Map.of("v", value)));
    }

    @Test
    void nonAsciiIsHashedAsUtf8() {
        // "é" raw in the canonical text, so the id is uuid5 over its UTF-8 bytes C3 A9
        String canonical = StixIds.canonicalJson(Map.of("value", "é"));
        assertEquals("{\"value\":\"é\"}", canonical);
        // script: label é
        assertEquals("label--c61316d6-f461-5584-a0b1-ed7ccc0f6d9c", StixIds.label("é"));
    }

    // ---- fast path vs library -----------------------------------------------------------------

    @Test
    void fastPathDeclinesWhatItCannotWrite() {
        assertNull(StringDictCanonicalizer.canonicalize(Map.of("n", 1)));
        assertNull(StringDictCanonicalizer.canonicalize(Map.of("l", List.of("a", 1))));
        assertNull(StringDictCanonicalizer.canonicalize(Map.of("m", Map.of("a", "b"))));
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("a", null);
        assertNull(StringDictCanonicalizer.canonicalize(withNull));
        assertEquals("{\"a\":null}", StixIds.canonicalJson(withNull));
        // generate() falls back to the library for them
        Map<String, Object> asn = Map.of("number", 15169);
        // script: autonomous-system 15169
        assertEquals("autonomous-system--7afc7bdf-d070-5add-90ff-f93503b1654d", StixIds.generate("autonomous-system", asn));
    }

    @Test
    void fastPathEqualsLibraryOnEveryControlAndSpecialChar() {
        for (char c = 0; c < 0x100; c++) {
            Map<String, String> data = Map.of("k" + c, "a" + c + "b", "name", String.valueOf(c));
            assertEquals(StixIds.canonicalJson(data), StringDictCanonicalizer.canonicalize(data),
                    "U+" + Integer.toHexString(c));
        }
    }

    @Test
    void fastPathEqualsLibraryOnGeneratedDicts() {
        Random random = new Random(20241123L);
        for (int i = 0; i < 5_000; i++) {
            Map<String, Object> data = new LinkedHashMap<>();
            int keys = 1 + random.nextInt(5);
            for (int k = 0; k < keys; k++) {
                String key = random.nextInt(3) == 0 ? randomString(random) : KEYS[random.nextInt(KEYS.length)];
                if (random.nextInt(6) == 0) {
                    List<String> list = new ArrayList<>();
                    for (int j = random.nextInt(4); j > 0; j--) {
                        list.add(randomString(random));
                    }
                    data.put(key, list);
                } else {
                    data.put(key, randomString(random));
                }
            }
            String fast = StringDictCanonicalizer.canonicalize(data);
            assertEquals(StixIds.canonicalJson(data), fast, () -> "input " + escapeForMessage(data.toString()));
        }
    }

    private static final String[] KEYS = {"name", "Name", "NAME", "value", "pattern", "type", "x_mitre_id",
            "identity_class", "\u00e9", "\u00c9", "\ud83d\ude00", "\ufb33", "\u20ac", "", "a b", "_", "1", "Z"};

    // weighted towards the characters a canonicaliser can get wrong
    private static final String[] PIECES = {"\"", "\\", "\u007f", "\u0080", "\u00a0", "\u00e9", "\u20ac",
            "\u2028", "\u2029", "\ud83d\ude00", "\ud800\udc00", "\udbff\udfff", "\ufeff", "\uffff", "/", "'",
            "<", "&", "abc", "1.2.3.4", "[ipv4-addr:value = '", "'] ", "\u0130", "\u03a3"};

    private static String randomString(Random random) {
        StringBuilder sb = new StringBuilder();
        for (int n = random.nextInt(12); n > 0; n--) {
            switch (random.nextInt(4)) {
                case 0 -> sb.append((char) random.nextInt(0x20)); // every C0 control
                case 1 -> sb.append((char) (0x20 + random.nextInt(0x60))); // printable ASCII and DEL
                case 2 -> sb.append(PIECES[random.nextInt(PIECES.length)]);
                default -> sb.appendCodePoint(randomScalar(random));
            }
        }
        return sb.toString();
    }

    /** Any Unicode scalar value, i.e. never a lone surrogate. */
    private static int randomScalar(Random random) {
        while (true) {
            int cp = random.nextInt(0x110000);
            if (cp < 0xD800 || cp > 0xDFFF) {
                return cp;
            }
        }
    }

    private static String escapeForMessage(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (cp < 0x20 || cp >= 0x7f) {
                sb.append(String.format(Locale.ROOT, "\\u{%x}", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    @Test
    void generateEqualsLibraryPath() {
        Map<String, Object> data = Map.of("pattern", PATTERN_1234);
        assertEquals("indicator--" + StixIds.uuid5(StixIds.NAMESPACE, StixIds.canonicalJson(data)),
                StixIds.generate("indicator", data));
        assertEquals(INDICATOR_1234, StixIds.generate("indicator", data));
    }

    // ---- pycti normalisation ------------------------------------------------------------------

    @Test
    void identityNameIsLowerCasedAndPythonStripped() {
        // Python-only whitespace: U+0085, U+00A0, U+3000, U+001C (Java strip() keeps 0085/00A0, trim() keeps all but 001C)
        assertEquals(IPSUM, StixIds.identity("\u0085\u00a0 IPSUM\u3000\u001c", "organization"));
        assertEquals(IPSUM, StixIds.identity("ipsum", "ORGANIZATION"));
        assertEquals(CROWDSEC, StixIds.identity("\tCrowdSec\u2007\u202f\n", "Organization"));
        // inner whitespace and characters Python does not strip are kept
        assertNotEquals(IPSUM, StixIds.identity("IP sum", "organization"));
        assertNotEquals(IPSUM, StixIds.identity("IPsum\u200b", "organization")); // ZERO WIDTH SPACE
        assertNotEquals(IPSUM, StixIds.identity("IPsum\u0000", "organization"));
        assertNotEquals(IPSUM, StixIds.identity("IPsum", "individual"));
    }

    @Test
    void identityClassIsNotStripped() {
        // pycti lower-cases identity_class but does not strip it
        assertNotEquals(IPSUM, StixIds.identity("IPsum", "organization "));
        // script: identity ipsum / 'organization ' (class not stripped)
        assertEquals("identity--26166485-f0d4-59e5-a1a2-2f30dbc68eea", StixIds.identity("IPsum", "organization "));
    }

    @Test
    void indicatorPatternIsStrippedButKeepsCase() {
        assertEquals(INDICATOR_1234, StixIds.indicator("\u3000 " + PATTERN_1234 + "\n\u0085"));
        String upper = "[IPV4-ADDR:value = '1.2.3.4']";
        assertNotEquals(INDICATOR_1234, StixIds.indicator(upper));
        // script: indicator [IPV4-ADDR:value = '1.2.3.4']
        assertEquals("indicator--bf0bc17d-f250-5aff-88ca-14105b6c114e", StixIds.indicator(upper));
    }

    @Test
    void attackPatternMitreIdWinsOverName() {
        assertEquals(AP_T1110, StixIds.attackPattern("Something else entirely", "T1110"));
        assertEquals(AP_T1110, StixIds.attackPattern(null, " T1110\u00a0"));
        assertEquals(AP_BRUTE_FORCE_NAME_ONLY, StixIds.attackPattern("  BRUTE FORCE\u3000", null));
        // the mitre id is stripped but not lower-cased
        assertNotEquals(AP_T1110, StixIds.attackPattern("Brute Force", "t1110"));
    }

    @Test
    void relationshipStopTimeAloneIsIgnored() {
        String start = "2024-01-01T00:00:00.000Z";
        String stop = "2024-02-01T00:00:00.000Z";
        assertEquals(REL_BASED_ON, StixIds.relationship("based-on", INDICATOR_1234, IPV4_1234, null, null));
        assertEquals(REL_BASED_ON, StixIds.relationship("based-on", INDICATOR_1234, IPV4_1234, null, stop));

        // script: relationship based-on 1.2.3.4 start, and start stop
        assertEquals("relationship--3472ab2b-bb56-548b-ba18-d958a9e23ce4",
                StixIds.relationship("based-on", INDICATOR_1234, IPV4_1234, start, null));
        assertEquals("relationship--724ef651-83cf-5768-98b5-4cf954064967",
                StixIds.relationship("based-on", INDICATOR_1234, IPV4_1234, start, stop));

        assertNotEquals(REL_BASED_ON, StixIds.relationship("based-on", INDICATOR_1234, IPV4_1234, start, null));
        assertNotEquals(StixIds.relationship("based-on", INDICATOR_1234, IPV4_1234, start, null),
                StixIds.relationship("based-on", INDICATOR_1234, IPV4_1234, start, stop));
    }

    @Test
    void sightingKeepsListOrderAndFollowsTheDateRule() {
        List<String> ab = List.of(CROWDSEC, IPSUM);
        List<String> ba = List.of(IPSUM, CROWDSEC);
        // script: sighting 1.2.3.4 [CrowdSec, IPsum] and [IPsum, CrowdSec]
        assertEquals("sighting--9cb14518-c091-5871-9a26-8bf02200bdc3", StixIds.sighting(INDICATOR_1234, ab, null, null));
        assertEquals("sighting--69fb7d09-d6dd-50fc-a4db-96d6203ca58f", StixIds.sighting(INDICATOR_1234, ba, null, null));

        String first = "2024-01-01T00:00:00.000Z";
        String last = "2024-01-02T00:00:00.000Z";
        assertEquals(SIGHTING, StixIds.sighting(INDICATOR_1234, List.of(CROWDSEC), null, last));
        // script: sighting 1.2.3.4 CrowdSec first, and first last
        assertEquals("sighting--945775cd-edb5-5059-a6c3-21d655249780",
                StixIds.sighting(INDICATOR_1234, List.of(CROWDSEC), first, null));
        assertEquals("sighting--37a9f3cb-305a-5c8d-8f53-d35b89945aaa",
                StixIds.sighting(INDICATOR_1234, List.of(CROWDSEC), first, last));
    }

    @Test
    void locationNameIsNormalisedTypeIsNot() {
        assertEquals(FRANCE, StixIds.location(" FRANCE\u00a0", "Country"));
        assertNotEquals(FRANCE, StixIds.location("France", "country"));
        assertThrows(IllegalArgumentException.class, () -> StixIds.location("Paris", "Position"));
    }

    @Test
    void vulnerabilityNameIsNormalised() {
        assertEquals(CVE_2021_44228, StixIds.vulnerability("\u2003cve-2021-44228\r\n"));
    }

    @Test
    void noteContentIsStrippedNotLowerCasedAndCreatedIsOptional() {
        assertEquals(NOTE, StixIds.note(NOTE_CREATED, "\n" + NOTE_CONTENT + " \u3000"));
        assertNotEquals(NOTE, StixIds.note(NOTE_CREATED, NOTE_CONTENT.toLowerCase(Locale.ROOT)));
        // script: note no created 'IP 1.2.3.4 was reported by CrowdSec.'
        assertEquals("note--889d7260-f0c6-54bc-b4bd-187fb2e3dc3b", StixIds.note(null, NOTE_CONTENT));
        assertNotEquals(NOTE, StixIds.note(null, NOTE_CONTENT));
        assertThrows(NullPointerException.class, () -> StixIds.note(NOTE_CREATED, null));
    }

    @Test
    void labelIsVerbatim() {
        assertNotEquals(LABEL_MALICIOUS_IP, StixIds.label("Malicious-IP"));
        assertNotEquals(LABEL_MALICIOUS_IP, StixIds.label("malicious-ip "));
    }

    @Test
    void observableValueIsNotNormalised() {
        assertNotEquals(IPV6_DB8_1, StixIds.observable("ipv6-addr", "2001:DB8::1"));
        assertNotEquals(IPV4_1234, StixIds.observable("ipv4-addr", " 1.2.3.4"));
        // script: domain-name Example.COM
        assertEquals("domain-name--780351e5-83ad-5bbe-8883-0e6174c2df50", StixIds.observable("domain-name", "Example.COM"));
        assertThrows(IllegalArgumentException.class, () -> StixIds.observable("file", "x"));
        assertThrows(IllegalArgumentException.class, () -> StixIds.observable("autonomous-system", "15169"));
    }

    @Test
    void externalReferenceFollowsPyctiPrecedence() {
        String url = "https://nvd.nist.gov/vuln/detail/CVE-2021-44228";
        // script: external-reference NVD CVE-2021-44228 url, and cve CVE-2021-44228
        String byUrl = "external-reference--e4c4bf33-962e-5617-8e84-cc1bc2a4deb2";
        assertEquals(byUrl, StixIds.externalReference(url, "cve", "CVE-2021-44228"));
        assertEquals(byUrl, StixIds.externalReference(url, null, null));
        assertEquals("external-reference--09cba4d8-169f-5ce3-935b-81bc0ded3726",
                StixIds.externalReference(null, "cve", "CVE-2021-44228"));
        assertNull(StixIds.externalReference(null, "cve", null));
        assertNull(StixIds.externalReference(null, null, "CVE-2021-44228"));
        assertNull(StixIds.externalReference(null, null, null));
    }

    @Test
    void idsHaveTheStixIdShape() {
        String id = StixIds.identity("IPsum", "organization");
        assertEquals("identity", id.substring(0, id.indexOf("--")));
        UUID u = UUID.fromString(id.substring(id.indexOf("--") + 2));
        assertEquals(5, u.version());
        assertEquals(2, u.variant());
    }
}
