package io.ctifeeds.crowdsec.api;

import static io.ctifeeds.crowdsec.api.CtiFixtures.PAGE1;
import static io.ctifeeds.crowdsec.api.CtiFixtures.PAGE2;
import static io.ctifeeds.crowdsec.api.CtiFixtures.SINGLE_IP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctifeeds.crowdsec.api.CtiRecord.AttackDetail;
import io.ctifeeds.crowdsec.api.CtiRecord.Blocklist;
import io.ctifeeds.crowdsec.api.CtiRecord.Item;
import io.ctifeeds.crowdsec.api.CtiRecord.Origin;
import io.ctifeeds.crowdsec.api.CtiRecord.Score;
import org.junit.jupiter.api.Test;

/** Expected values are read off src/test/resources/fixtures/crowdsec (the JSON files and their README). */
class CtiParserTest {

    private static final String PAGE2_HREF = "https://cti.api.crowdsec.net/v2/smoke/search?query=behaviors.label%3A%22SSH"
            + "%20Bruteforce%22%20OR%20behaviors.label%3A%22HTTP%20Scan%22&since=24h&page=2&limit=3";

    private static final List<String> TOP_LEVEL_FIELDS = List.of("ip_range_score", "ip_range", "as_name", "as_num",
            "reputation", "ip_range_24", "ip_range_24_reputation", "ip_range_24_score", "background_noise_score",
            "background_noise", "confidence", "location", "reverse_dns", "behaviors", "history", "classifications",
            "attack_details", "target_countries", "mitre_techniques", "cves", "scores", "references");

    // ---- fixtures ---------------------------------------------------------------------------------------------

    @Test
    void firstPageHasThreeItemsAndANextLink() {
        CtiPage page = CtiParser.parsePage(CtiFixtures.read(PAGE1));
        assertEquals(List.of("192.0.2.10", "2001:db8:4f1a::25", "198.51.100.77"),
                page.records().stream().map(r -> r.ip().value()).toList());
        assertEquals(List.of(), page.rejected());
        assertEquals(0, page.duplicates());
        assertNull(page.problem());
        assertEquals(PAGE2_HREF, page.nextHref());
    }

    @Test
    void lastPageHasTwoItemsAndNoNextLink() {
        CtiPage page = CtiParser.parsePage(CtiFixtures.read(PAGE2));
        assertEquals(List.of("203.0.113.45", "198.51.100.200"), page.records().stream().map(r -> r.ip().value()).toList());
        assertEquals(List.of(), page.rejected());
        assertNull(page.nextHref(), "page 2 has a prev link but no next");
        assertNull(page.problem());
    }

    @Test
    void singleIpAnswerIsTheSameDataAsTheFirstItemOfPageOne() {
        assertEquals(CtiFixtures.record(PAGE1, 0), CtiFixtures.parse(CtiFixtures.read(SINGLE_IP)));
    }

    @Test
    void noFixtureFieldIsUnusable() {
        for (ObjectNode item : CtiFixtures.allItems()) {
            assertEquals(List.of(), CtiFixtures.parse(item).unusable(), item.get("ip").asText());
        }
    }

    @Test
    void maliciousIpv4ItemIsReadFieldByField() {
        CtiRecord r = CtiFixtures.record(PAGE1, 0);
        assertEquals("192.0.2.10", r.ip().value());
        assertEquals(4, r.ip().version());
        assertEquals("malicious", r.reputation());
        assertEquals("high", r.confidence());
        assertEquals("192.0.2.0/24", r.ipRange());
        assertEquals(5, r.ipRangeScore());
        assertEquals("EXAMPLE-HOSTING-AS", r.asName());
        assertEquals(64500L, r.asNum());
        assertEquals("high", r.backgroundNoise());
        assertEquals(9, r.backgroundNoiseScore());
        assertEquals(new Origin("NL", "Amsterdam", 52.3759, 4.8975), r.location());
        assertEquals("vps-10.hosting.example.net", r.reverseDns());
        assertEquals(List.of("ssh:bruteforce", "generic:exploit", "http:scan"),
                r.behaviors().stream().map(Item::name).toList());
        assertEquals("SSH Bruteforce", r.behaviors().get(0).label());
        assertEquals(List.of("community-blocklist", "range:data_center"),
                r.classifications().stream().map(Item::name).toList());
        assertEquals(List.of(), r.falsePositives());
        assertFalse(r.isFalsePositive());
        assertEquals(List.of("crowdsecurity/ssh-bf", "crowdsecurity/ssh-slow-bf", "crowdsecurity/ssh-cve-2024-6387",
                "crowdsecurity/http-probing"), r.attackDetails().stream().map(AttackDetail::name).toList());
        assertEquals(List.of("https://nvd.nist.gov/vuln/detail/CVE-2024-6387"), r.attackDetails().get(2).references());
        assertEquals(new Item("T1110", "Brute Force", "Adversaries may use brute force techniques to gain access to "
                + "accounts when passwords are unknown or when password hashes are obtained."), r.mitreTechniques().get(0));
        assertEquals(List.of("T1110", "T1190", "T1595"), r.mitreTechniques().stream().map(Item::name).toList());
        assertEquals(List.of("CVE-2024-6387"), r.cves());
        assertEquals(new Score(5, 4, 5, 1, 5), r.scores().overall());
        assertEquals(new Score(4, 4, 5, 1, 4), r.scores().lastDay());
        assertEquals(Instant.parse("2026-05-02T14:15:00Z"), r.firstSeen());
        assertEquals(Instant.parse("2026-08-21T23:45:00Z"), r.lastSeen());
        Map<String, Integer> countries = new LinkedHashMap<>();
        countries.put("US", 38);
        countries.put("DE", 17);
        countries.put("FR", 11);
        countries.put("GB", 8);
        countries.put("NL", 7);
        countries.put("JP", 6);
        countries.put("SG", 5);
        countries.put("CA", 4);
        countries.put("PL", 2);
        countries.put("AU", 2);
        assertEquals(List.copyOf(countries.entrySet()), List.copyOf(r.targetCountries().entrySet()), "same order too");
        assertEquals(List.of(
                new Blocklist("list:crowdsec_high_background_noise", "CrowdSec High Background Noise",
                        "IPs that are highly active across the CrowdSec network and flagged as high background noise.",
                        List.of()),
                new Blocklist("list:firehol_level1", "Firehol Level 1", "A firewall blacklist composed from IP lists, "
                        + "providing maximum protection with minimum false positives.",
                        List.of("https://iplists.firehol.org/?ipset=firehol_level1"))), r.references());
    }

    @Test
    void ipv6ItemKeepsItsNullRangeFieldsAndEmptyCves() {
        CtiRecord r = CtiFixtures.record(PAGE1, 1);
        assertEquals("2001:db8:4f1a::25", r.ip().value());
        assertEquals(6, r.ip().version());
        assertEquals("suspicious", r.reputation());
        assertEquals("medium", r.confidence());
        assertNull(r.reverseDns());
        assertEquals(List.of(), r.cves());
        assertEquals(List.of("T1595", "T1589"), r.mitreTechniques().stream().map(Item::name).toList());
    }

    @Test
    void knownItemWithoutCity() {
        CtiRecord r = CtiFixtures.record(PAGE1, 2);
        assertEquals(new Origin("BR", null, -22.8305, -43.2192), r.location());
        assertEquals("known", r.reputation());
        assertEquals(List.of("US", "BR"), List.copyOf(r.targetCountries().keySet()));
    }

    @Test
    void itemWithNullLocationAndAsIsParsedWithoutComplaint() {
        CtiRecord r = CtiFixtures.record(PAGE2, 0);
        assertEquals(new Origin(null, null, null, null), r.location());
        assertNull(r.asName());
        assertNull(r.asNum());
        assertNull(r.backgroundNoise());
        assertNull(r.backgroundNoiseScore());
        assertEquals(List.of("CVE-2021-41773", "CVE-2022-26134"), r.cves());
        assertEquals(List.of("https://iplists.firehol.org/?ipset=cybercrime"), r.references().get(0).urls());
        assertEquals(List.of(), r.references().get(1).urls());
        assertEquals(List.of(), r.unusable());
    }

    @Test
    void benignScannerKeepsItsReputationAndClassification() {
        CtiRecord r = CtiFixtures.record(PAGE2, 1);
        assertEquals("benign", r.reputation());
        assertEquals("scanner:censys", r.classifications().get(0).name());
        assertFalse(r.isFalsePositive(), "a scanner classification is not a false_positives entry");
    }

    // ---- hostile variants -------------------------------------------------------------------------------------

    @Test
    void nullInEveryFieldLeavesOnlyTheIp() {
        ObjectNode item = CtiFixtures.item(PAGE1, 0);
        TOP_LEVEL_FIELDS.forEach(item::putNull);
        CtiRecord r = CtiFixtures.parse(item);
        assertEquals("192.0.2.10", r.ip().value());
        assertEmptyApartFromIp(r);
        assertEquals(List.of(), r.unusable(), "null is absence, not a defect");
    }

    @Test
    void noneStringInEveryFieldLeavesOnlyTheIp() {
        ObjectNode item = CtiFixtures.item(PAGE1, 0);
        TOP_LEVEL_FIELDS.forEach(f -> item.put(f, "None"));
        CtiRecord r = CtiFixtures.parse(item);
        assertEmptyApartFromIp(r);
        assertEquals(List.of(), r.unusable(), "\"None\" is the CTI's Python None");
    }

    @Test
    void nullsInsideNestedObjectsAreAbsence() {
        ObjectNode item = CtiFixtures.json("""
                {"ip": "192.0.2.1", "history": {"first_seen": null, "last_seen": "None"},
                 "scores": {"overall": {"total": null}, "last_day": null},
                 "classifications": {"false_positives": null, "classifications": "None"},
                 "location": {"country": null, "city": "None", "latitude": null},
                 "behaviors": [{"name": null, "label": "SSH Bruteforce", "description": null}]}
                """);
        CtiRecord r = CtiFixtures.parse(item);
        assertNull(r.firstSeen());
        assertNull(r.lastSeen());
        assertNull(r.scores().overall().total());
        assertEquals(new Origin(null, null, null, null), r.location());
        assertEquals(List.of(new Item(null, "SSH Bruteforce", null)), r.behaviors());
        assertEquals(List.of(), r.unusable());
    }

    @Test
    void unknownReputationAndConfidenceAreKeptLowerCased() {
        ObjectNode item = CtiFixtures.item(PAGE1, 0);
        item.put("reputation", " Hyper-Malicious ");
        item.put("confidence", "EXTREME");
        CtiRecord r = CtiFixtures.parse(item);
        assertEquals("hyper-malicious", r.reputation());
        assertEquals("extreme", r.confidence());
        assertEquals(List.of(), r.unusable());
    }

    @Test
    void unknownCountryCodesAreDroppedAndRecorded() {
        ObjectNode item = CtiFixtures.item(PAGE1, 0);
        item.set("target_countries", CtiFixtures.json("{\"XX\": 40, \"fr\": 30, \"FR\": 5, \"DE\": \"lots\", \"\": 1}"));
        ((ObjectNode) item.get("location")).put("country", "XX");
        CtiRecord r = CtiFixtures.parse(item);
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("FR", 30);
        expected.put("DE", null);
        assertEquals(expected, r.targetCountries());
        assertNull(r.location().country());
        assertEquals("Amsterdam", r.location().city());
        assertEquals(List.of("location.country", "target_countries.XX", "target_countries.DE"), r.unusable());
    }

    @Test
    void wrongTypesBlankTheFieldAndAreRecorded() {
        ObjectNode item = CtiFixtures.json("""
                {"ip": "192.0.2.1", "reputation": 5, "confidence": ["high"], "as_num": "abc", "as_name": 12,
                 "ip_range_score": 9, "background_noise_score": "7",
                 "behaviors": {"name": "ssh:bruteforce"}, "cves": 42, "mitre_techniques": "T1110",
                 "attack_details": [17, {"name": "crowdsecurity/ssh-bf", "references": "https://example.org"}],
                 "classifications": [], "location": "NL", "history": {"first_seen": "yesterday", "last_seen": 3},
                 "scores": {"overall": {"total": 9, "threat": 2.5}, "last_week": "high"},
                 "target_countries": ["US"], "references": [{"name": "list:x", "references": [1, "ftp://x.org", "https://ok.example/l"]}]}
                """);
        CtiRecord r = CtiFixtures.parse(item);
        assertNull(r.reputation());
        assertNull(r.confidence());
        assertNull(r.asNum());
        assertNull(r.asName());
        assertNull(r.ipRangeScore());
        assertEquals(7, r.backgroundNoiseScore(), "a number in a string is still a number");
        assertEquals(List.of(), r.behaviors());
        assertEquals(List.of(), r.cves());
        assertEquals(List.of(), r.mitreTechniques());
        assertEquals(List.of(new AttackDetail("crowdsecurity/ssh-bf", null, null, List.of())), r.attackDetails());
        assertEquals(new Origin(null, null, null, null), r.location());
        assertNull(r.firstSeen());
        assertNull(r.lastSeen());
        assertNull(r.scores().overall().total());
        assertNull(r.scores().overall().threat());
        assertNull(r.scores().lastWeek());
        assertEquals(Map.of(), r.targetCountries());
        assertEquals(List.of(new Blocklist("list:x", null, null, List.of("https://ok.example/l"))), r.references());
        assertEquals(List.of("history.first_seen", "history.last_seen", "classifications", "reputation",
                "confidence", "ip_range_score", "as_name", "as_num", "location", "behaviors",
                "attack_details[0]", "attack_details[1].references", "mitre_techniques", "cves",
                "scores.overall.threat", "scores.overall.total", "scores.last_week", "target_countries",
                "references[0].references[0]", "references[0].references[1]"), r.unusable());
    }

    @Test
    void invalidListEntriesAreDroppedOneByOne() {
        ObjectNode item = CtiFixtures.json("""
                {"ip": "192.0.2.1",
                 "cves": ["CVE-2021-44228", "cve-2022-1", 7, " cve-2021-44228 ", "CVE-2024-6387"],
                 "mitre_techniques": [{"name": "X1"}, {"name": "t1110.001", "label": "Password Guessing"},
                                      "T1046", {"label": "no id"}, {"name": "T1110.001"}],
                 "behaviors": [null, {"description": "no name nor label"}, {"name": "http:scan"}]}
                """);
        CtiRecord r = CtiFixtures.parse(item);
        assertEquals(List.of("CVE-2021-44228", "CVE-2024-6387"), r.cves());
        assertEquals(List.of(new Item("T1110.001", "Password Guessing", null)), r.mitreTechniques());
        assertEquals(List.of(new Item("http:scan", null, null)), r.behaviors());
        assertEquals(List.of("behaviors[0]", "behaviors[1]", "mitre_techniques[2]", "mitre_techniques.X1",
                "mitre_techniques.?", "cves[1]", "cves[2]"), r.unusable());
    }

    @Test
    void outOfRangeValuesAndInconsistentDatesAreRecorded() {
        ObjectNode item = CtiFixtures.json("""
                {"ip": "192.0.2.1", "location": {"country": "nl", "latitude": 500, "longitude": -180},
                 "as_num": 4294967296, "ip_range_score": -1,
                 "history": {"first_seen": "2026-08-21T23:45:00Z", "last_seen": "2026-05-02T14:15:00+00:00"},
                 "target_countries": {"US": 101, "DE": 12.0}}
                """);
        CtiRecord r = CtiFixtures.parse(item);
        assertEquals(new Origin("NL", null, null, -180.0), r.location());
        assertNull(r.asNum());
        assertNull(r.ipRangeScore());
        assertEquals(Instant.parse("2026-08-21T23:45:00Z"), r.firstSeen());
        assertNull(r.lastSeen(), "last_seen before first_seen is dropped, first_seen kept");
        Map<String, Integer> countries = new LinkedHashMap<>();
        countries.put("US", null);
        countries.put("DE", 12);
        assertEquals(countries, r.targetCountries());
        assertEquals(List.of("history.last_seen", "ip_range_score", "as_num", "location.latitude",
                "target_countries.US"), r.unusable());
    }

    @Test
    void datesWithoutOffsetAreUtcAndYearsOutsideStixRangeAreRefused() {
        CtiRecord r = CtiFixtures.parse(CtiFixtures.json("""
                {"ip": "192.0.2.1", "history": {"first_seen": "2022-05-28T16:00:00", "last_seen": "2022-05-29T10:00:00.5+02:00"}}
                """));
        assertEquals(Instant.parse("2022-05-28T16:00:00Z"), r.firstSeen());
        assertEquals(Instant.parse("2022-05-29T08:00:00.500Z"), r.lastSeen());
        CtiRecord far = CtiFixtures.parse(CtiFixtures.json("""
                {"ip": "192.0.2.1", "history": {"first_seen": "+12022-05-28T16:00:00Z", "last_seen": "1900-01-01T00:00:00Z"}}
                """));
        assertNull(far.firstSeen());
        assertNull(far.lastSeen());
        assertEquals(List.of("history.first_seen", "history.last_seen"), far.unusable());
    }

    @Test
    void textIsStrippedCutAndMadeWellFormed() {
        ObjectNode item = CtiFixtures.json("{\"ip\": \"192.0.2.1\"}");
        item.put("as_name", "  \uD800broken\uDC00 ");
        item.put("reverse_dns", "x".repeat(5000));
        item.put("ip_range", "   ");
        CtiRecord r = CtiFixtures.parse(item);
        assertEquals("\uFFFDbroken\uFFFD", r.asName(), "unpaired surrogates have no UTF-8 form");
        assertEquals(FieldReader.MAX_TEXT, r.reverseDns().length());
        assertNull(r.ipRange(), "blank is absent");
    }

    @Test
    void itemsWithoutAValidIpAreRejectedWithAReasonThatDoesNotEchoTheInput() {
        assertEquals(new CtiItem.Rejected("invalid ip: CIDR prefix not allowed"),
                CtiParser.parse(CtiFixtures.json("{\"ip\": \"192.0.2.0/24\"}")));
        assertEquals(new CtiItem.Rejected("ip is not a string"), CtiParser.parse(CtiFixtures.json("{\"ip\": 3232235777}")));
        assertEquals(new CtiItem.Rejected("no ip"), CtiParser.parse(CtiFixtures.json("{\"ip\": null, \"reputation\": \"malicious\"}")));
        assertEquals(new CtiItem.Rejected("no ip"), CtiParser.parse(CtiFixtures.json("{\"ip\": \"None\"}")));
        assertEquals(new CtiItem.Rejected("not a JSON object"), CtiParser.parse(JsonNodeFactory.instance.arrayNode()));
        assertEquals(new CtiItem.Rejected("not a JSON object"), CtiParser.parse(null));
        CtiItem hostile = CtiParser.parse(CtiFixtures.json("{\"ip\": \"<script>alert(1)</script>\"}"));
        CtiItem.Rejected rejected = assertInstanceOf(CtiItem.Rejected.class, hostile);
        assertFalse(rejected.reason().contains("<script>"), rejected.reason());
    }

    @Test
    void ipv4MappedAndUpperCaseIpv6AreCanonicalised() {
        assertEquals("192.0.2.7", CtiFixtures.parse(CtiFixtures.json("{\"ip\": \"::ffff:192.0.2.7\"}")).ip().value());
        assertEquals("2001:db8::1", CtiFixtures.parse(CtiFixtures.json("{\"ip\": \"2001:DB8:0:0::0001\"}")).ip().value());
    }

    @Test
    void aPageKeepsItsGoodItemsAndCountsTheRest() {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        items.add(CtiFixtures.item(PAGE1, 0));
        items.add(CtiFixtures.json("{\"ip\": \"999.0.0.1\"}"));
        items.add("just a string");
        items.add(CtiFixtures.item(PAGE1, 0));
        items.add(CtiFixtures.item(PAGE2, 1));
        items.addNull();
        ObjectNode page = CtiFixtures.json("{\"_links\": {\"next\": {\"href\": \" /v2/smoke/search?page=2 \"}}}");
        page.set("items", items);

        CtiPage parsed = CtiParser.parsePage(page);

        assertEquals(List.of("192.0.2.10", "198.51.100.200"), parsed.records().stream().map(r -> r.ip().value()).toList());
        assertEquals(List.of(new CtiPage.Reject(1, "invalid ip: IPv4 octet > 255"),
                new CtiPage.Reject(2, "not a JSON object"), new CtiPage.Reject(5, "not a JSON object")), parsed.rejected());
        assertEquals(1, parsed.duplicates());
        assertEquals("/v2/smoke/search?page=2", parsed.nextHref());
        assertNull(parsed.problem());
    }

    @Test
    void pagesWithoutItemsSayWhy() {
        assertEquals("page has no items", CtiParser.parsePage(CtiFixtures.json("{\"items\": \"None\"}")).problem());
        assertEquals("page has no items", CtiParser.parsePage(CtiFixtures.json("{\"message\": \"Limit Exceeded\"}")).problem());
        assertEquals("items is not an array", CtiParser.parsePage(CtiFixtures.json("{\"items\": {\"ip\": \"192.0.2.1\"}}")).problem());
        assertEquals("page is not a JSON object", CtiParser.parsePage(JsonNodeFactory.instance.arrayNode()).problem());
        CtiPage empty = CtiParser.parsePage(CtiFixtures.json("{\"items\": [], \"_links\": {\"next\": {\"href\": 42}}}"));
        assertNull(empty.problem());
        assertNull(empty.nextHref(), "a non-string href is no link");
        assertTrue(empty.records().isEmpty());
    }

    private static void assertEmptyApartFromIp(CtiRecord r) {
        assertNull(r.reputation());
        assertNull(r.confidence());
        assertNull(r.ipRange());
        assertNull(r.asName());
        assertNull(r.asNum());
        assertEquals(new Origin(null, null, null, null), r.location());
        assertEquals(List.of(), r.behaviors());
        assertEquals(List.of(), r.classifications());
        assertEquals(List.of(), r.falsePositives());
        assertEquals(List.of(), r.attackDetails());
        assertEquals(List.of(), r.mitreTechniques());
        assertEquals(List.of(), r.cves());
        assertNull(r.scores().overall());
        assertNull(r.firstSeen());
        assertNull(r.lastSeen());
        assertEquals(Map.of(), r.targetCountries());
        assertEquals(List.of(), r.references());
    }
}
