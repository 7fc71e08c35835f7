package io.ctifeeds.crowdsec.mapping;

import static io.ctifeeds.crowdsec.api.CtiFixtures.PAGE1;
import static io.ctifeeds.crowdsec.api.CtiFixtures.PAGE2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctifeeds.bundle.BundleParts;
import io.ctifeeds.crowdsec.api.CtiFixtures;
import io.ctifeeds.crowdsec.api.CtiParser;
import io.ctifeeds.crowdsec.api.CtiRecord;
import io.ctifeeds.stix.AttackPattern;
import io.ctifeeds.stix.IdRules;
import io.ctifeeds.stix.Indicator;
import io.ctifeeds.stix.IpObservable;
import io.ctifeeds.stix.Label;
import io.ctifeeds.stix.Location;
import io.ctifeeds.stix.Note;
import io.ctifeeds.stix.Relationship;
import io.ctifeeds.stix.Sighting;
import io.ctifeeds.stix.StixIds;
import io.ctifeeds.stix.StixObject;
import io.ctifeeds.stix.Tlp;
import io.ctifeeds.stix.Vulnerability;
import org.junit.jupiter.api.Test;

/**
 * Expected values come from seed-connectors.md §2 (what the official connector creates and its bugs), issue 4 (the
 * fixes), PROTOCOL §5.4 (id vectors) and the fixtures and their README, never from running the mapper.
 */
class CrowdSecStixMapperTest {

    // PROTOCOL §5.4
    private static final String CROWDSEC = "identity--5f18c204-0a7f-5061-a146-d29561d9c8aa";
    private static final String INDICATOR_1234 = "indicator--274128a4-2ad4-50b5-ae7b-b0dea1fa9861";
    private static final String IPV4_1234 = "ipv4-addr--0198f97b-e65d-5025-87e5-58bc39d4bdb4";
    private static final String AP_T1110 = "attack-pattern--272bb55a-8f0d-5d73-bb7c-dee9f8d2e586";
    private static final String REL_BASED_ON = "relationship--a787645d-9c70-51d7-b74a-91f3c0a88d3f";
    private static final String REL_INDICATES = "relationship--bfddc743-b539-509b-b540-81f38f926baf";
    private static final String CVE_2021_44228 = "vulnerability--693c68fd-9a33-5d6d-b44e-407b6a48b05b";
    private static final String FRANCE = "location--b8d0549f-de06-5ebd-a6e9-d31a581dba5d";
    private static final String SIGHTING_1234_BY_CROWDSEC = "sighting--8b98a283-bb15-5a05-b8c6-fd540e32373b";

    /** seed-connectors §2.5: what the official connector puts in sighting_of_ref when there is no indicator. */
    private static final String OFFICIAL_FAKE_INDICATOR = "indicator--51b92778-cef0-4a90-b7ec-ebd620d01ac8";

    private static final Instant NOW = Instant.parse("2026-08-22T01:00:00Z");
    private static final CrowdSecStixMapper DEFAULTS = new CrowdSecStixMapper(ShippedMapping.defaults());
    /** The OpenCTI 6 rules these tests' expected ids follow; the 7.x differences have their own tests. */
    private static final IdRules RULES = IdRules.OPENCTI_6;

    /** 1.2.3.4, the address of the §5.4 vectors, with T1110 and CVE-2021-44228. */
    private static final String VECTOR_ITEM = """
            {"ip": "1.2.3.4", "reputation": "malicious", "confidence": "high",
             "history": {"first_seen": "2024-01-01T00:00:00+00:00", "last_seen": "2024-01-02T00:00:00+00:00"},
             "mitre_techniques": [{"name": "T1110", "label": "Brute Force", "description": "Brute force."}],
             "cves": ["CVE-2021-44228"], "target_countries": {"FR": 100},
             "scores": {"overall": {"total": 3}}}
            """;

    // ---- every fixture item ------------------------------------------------------------------------------------

    @Test
    void everyFixtureItemMapsToSchemaValidObjectsWhoseRefsResolve() {
        for (ObjectNode item : CtiFixtures.allItems()) {
            MappedIp mapped = DEFAULTS.map(CtiFixtures.parse(item), NOW, RULES);
            List<StixObject> bundle = withCommon(mapped.all());
            assertEquals(List.of(), StixChecks.schemaErrors(bundle), item.get("ip").asText());
            assertEquals(Set.of(), StixChecks.danglingRefs(bundle, bundle), item.get("ip").asText());
            assertEquals(bundle.size(), bundle.stream().map(StixObject::id).distinct().count(), "ids are unique");
        }
    }

    @Test
    void everyIdIsPyctis() {
        for (ObjectNode item : CtiFixtures.allItems()) {
            for (StixObject o : withCommon(DEFAULTS.map(CtiFixtures.parse(item), NOW, RULES).all())) {
                JsonNode j = StixChecks.json(o);
                String expected = switch (o.type()) {
                    case "ipv4-addr", "ipv6-addr" -> StixIds.observable(o.type(), j.get("value").asText());
                    case "indicator" -> StixIds.indicator(j.get("pattern").asText());
                    case "relationship" -> StixIds.relationship(j.get("relationship_type").asText(),
                            j.get("source_ref").asText(), j.get("target_ref").asText());
                    case "sighting" -> StixIds.sighting(j.get("sighting_of_ref").asText(),
                            texts(j.get("where_sighted_refs")), null, null);
                    case "note" -> StixIds.note(j.get("created").asText(), j.get("content").asText());
                    case "attack-pattern" -> StixIds.attackPattern(j.get("name").asText(), j.get("x_mitre_id").asText());
                    case "vulnerability" -> StixIds.vulnerability(j.get("name").asText());
                    case "location" -> StixIds.location(j.get("name").asText(), "Country");
                    // the platform's label id is keyed on the lower-cased value (PROTOCOL §5.3)
                    case "label" -> StixIds.label(j.get("value").asText().toLowerCase());
                    case "identity" -> StixIds.identity(j.get("name").asText(), j.get("identity_class").asText());
                    case "marking-definition" -> Tlp.AMBER.id();
                    default -> throw new AssertionError("unexpected type " + o.type());
                };
                assertEquals(expected, o.id(), StixChecks.json(o).toString());
            }
        }
    }

    @Test
    void protocolVectors() {
        assertEquals(CROWDSEC, CrowdSecStixMapper.AUTHOR.id());
        assertEquals("organization", CrowdSecStixMapper.AUTHOR.identityClass());

        MappedIp p11 = DEFAULTS.map(CtiFixtures.record(PAGE1, 0), NOW, RULES);
        assertEquals(AP_T1110, only(p11.shared(), AttackPattern.class, a -> a.mitreId().equals("T1110")).id());
        assertEquals(FRANCE, only(p11.shared(), Location.class, l -> l.name().equals("France")).id());

        MappedIp vector = DEFAULTS.map(CtiFixtures.parse(CtiFixtures.json(VECTOR_ITEM)), NOW, RULES);
        assertEquals(IPV4_1234, only(vector.objects(), IpObservable.class, o -> true).id());
        assertEquals(INDICATOR_1234, only(vector.objects(), Indicator.class, i -> true).id());
        assertEquals(REL_BASED_ON, only(vector.objects(), Relationship.class,
                r -> r.relationshipType().equals("based-on")).id());
        assertEquals(REL_INDICATES, only(vector.objects(), Relationship.class,
                r -> r.relationshipType().equals("indicates")).id());
        assertEquals(CVE_2021_44228, only(vector.shared(), Vulnerability.class, v -> true).id());
        assertEquals(FRANCE, only(vector.shared(), Location.class, l -> true).id());
        assertEquals(SIGHTING_1234_BY_CROWDSEC, only(vector.objects(), Sighting.class, s -> true).id());
    }

    /** seed fixtures README, "Items and what the reference Python connector would produce", with the fixes. */
    @Test
    void fixtureReadmeOutcomes() {
        expect(CtiFixtures.record(PAGE1, 0), 90, List.of("malicious-activity"),
                List.of("https://iplists.firehol.org/?ipset=firehol_level1"),
                List.of("T1110", "T1190", "T1595", "CVE-2024-6387", "malicious", "crowdsecurity/ssh-bf",
                        "crowdsecurity/ssh-slow-bf", "crowdsecurity/http-probing"));
        expect(CtiFixtures.record(PAGE1, 1), 60, List.of(), List.of(),
                List.of("T1595", "T1589", "suspicious", "crowdsecurity/http-probing",
                        "crowdsecurity/http-crawl-non_statics", "crowdsecurity/http-bad-user-agent",
                        "crowdsecurity/http-admin-interface-probing"));
        expect(CtiFixtures.record(PAGE1, 2), 30, List.of(), List.of(),
                List.of("T1110", "T1046", "known", "crowdsecurity/ssh-bf", "firewallservices/pf-scan-multi_ports"));
        expect(CtiFixtures.record(PAGE2, 0), 60, List.of("malicious-activity"),
                List.of("https://iplists.firehol.org/?ipset=cybercrime"),
                List.of("T1190", "T1595", "CVE-2021-41773", "CVE-2022-26134", "malicious", "crowdsecurity/http-probing"));
        expect(CtiFixtures.record(PAGE2, 1), null, null, null,
                List.of("T1595", "T1046", "crowdsecurity/http-probing", "firewallservices/pf-scan-multi_ports"));
    }

    @Test
    void labelObjectsCarryTheirKindsColour() {
        Map<String, String> colours = DEFAULTS.map(CtiFixtures.record(PAGE1, 0), NOW, RULES).shared().stream()
                .filter(Label.class::isInstance).map(Label.class::cast)
                .collect(Collectors.toMap(Label::value, Label::color));
        assertEquals(Map.of("T1110", "#000080", "T1190", "#000080", "T1595", "#000080", "CVE-2024-6387", "#800080",
                "malicious", "#FF0000", "crowdsecurity/ssh-bf", "#2E2A14", "crowdsecurity/ssh-slow-bf", "#2E2A14",
                "crowdsecurity/http-probing", "#2E2A14"), colours);
        assertEquals("#FFA500", labelColour(DEFAULTS.map(CtiFixtures.record(PAGE1, 1), NOW, RULES), "suspicious"));
        assertEquals("#808080", labelColour(DEFAULTS.map(CtiFixtures.record(PAGE1, 2), NOW, RULES), "known"));
        ObjectNode safe = CtiFixtures.item(PAGE2, 1);
        safe.put("reputation", "safe");
        assertEquals("#00BFFF", labelColour(DEFAULTS.map(CtiFixtures.parse(safe), NOW, RULES), "safe"));
    }

    @Test
    void everyLabelKindHasItsSwitch() {
        LabelRule on = new LabelRule(true, "#123456");
        CrowdSecLabels all = new CrowdSecLabels(on, on, on, on, on, CrowdSecLabels.reputations(true,
                "#FF0000", "#FFA500", "#808080", "#00BFFF"));
        CrowdSecStixMapper everything = new CrowdSecStixMapper(ShippedMapping.defaults().withLabels(all));
        List<String> labels = observable(everything.map(CtiFixtures.record(PAGE1, 2), NOW, RULES)).labels();
        assertEquals(List.of("T1110", "T1046", "ssh:bruteforce", "tcp:scan", "known", "crowdsecurity/ssh-bf",
                "firewallservices/pf-scan-multi_ports", "SSH Bruteforce", "PF Scan Multi Ports"), labels);

        LabelRule off = new LabelRule(false, "#123456");
        CrowdSecLabels none = new CrowdSecLabels(off, off, off, off, off, CrowdSecLabels.reputations(false,
                "#FF0000", "#FFA500", "#808080", "#00BFFF"));
        MappedIp bare = new CrowdSecStixMapper(ShippedMapping.defaults().withLabels(none)).map(CtiFixtures.record(PAGE1, 0), NOW, RULES);
        assertFalse(StixChecks.json(observable(bare)).has("x_opencti_labels"));
        assertFalse(StixChecks.json(indicator(bare)).has("labels"));
        assertTrue(bare.shared().stream().noneMatch(Label.class::isInstance));
    }

    @Test
    void labelColoursAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LabelRule(true, "red"));
        assertTrue(e.getMessage().contains("'red'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LabelRule(true, "#12345G"));
    }

    @Test
    void scoresFeedTheObservableAndTheIndicatorAlike() {
        // overall.total of each fixture item × 20 (0..5 onto OpenCTI's 0..100)
        int[] expected = {100, 40, 20, 80};
        List<CtiRecord> records = List.of(CtiFixtures.record(PAGE1, 0), CtiFixtures.record(PAGE1, 1),
                CtiFixtures.record(PAGE1, 2), CtiFixtures.record(PAGE2, 0));
        for (int i = 0; i < records.size(); i++) {
            MappedIp mapped = DEFAULTS.map(records.get(i), NOW, RULES);
            assertEquals(expected[i], observable(mapped).score(), records.get(i).ip().value());
            assertEquals(expected[i], indicator(mapped).score(), records.get(i).ip().value());
        }
        assertEquals(40, observable(DEFAULTS.map(CtiFixtures.record(PAGE2, 1), NOW, RULES)).score());

        ObjectNode onlyLastDay = CtiFixtures.json("{\"ip\": \"192.0.2.1\", \"scores\": {\"overall\": null, "
                + "\"last_day\": {\"total\": 1}, \"last_week\": {\"total\": null}}}");
        assertEquals(20, observable(DEFAULTS.map(CtiFixtures.parse(onlyLastDay), NOW, RULES)).score(), "latest window with a total");
        assertNull(observable(DEFAULTS.map(CtiFixtures.parse(CtiFixtures.json("{\"ip\": \"192.0.2.1\"}")), NOW, RULES)).score());
    }

    @Test
    void indicatorIsValidFromLastSeenForItsLifetime() {
        Indicator p11 = indicator(DEFAULTS.map(CtiFixtures.record(PAGE1, 0), NOW, RULES));
        assertEquals("2026-08-21T23:45:00.000Z", p11.validFrom());
        assertEquals("2026-09-20T23:45:00.000Z", p11.validUntil());
        assertEquals("[ipv4-addr:value = '192.0.2.10']", p11.pattern());
        assertEquals("IPv4-Addr", p11.mainObservableType());
        assertEquals(CROWDSEC, p11.createdByRef());
        assertEquals(List.of(Tlp.AMBER.id()), p11.objectMarkingRefs());

        Indicator v6 = indicator(new CrowdSecStixMapper(ShippedMapping.defaults()
                .withIndicators(Set.of("suspicious"), Duration.ofDays(7), 0)).map(CtiFixtures.record(PAGE1, 1), NOW, RULES));
        assertEquals("[ipv6-addr:value = '2001:db8:4f1a::25']", v6.pattern());
        assertEquals("IPv6-Addr", v6.mainObservableType());
        assertEquals("2026-08-21T17:00:00.000Z", v6.validFrom());
        assertEquals("2026-08-28T17:00:00.000Z", v6.validUntil());

        ObjectNode noDates = CtiFixtures.json("{\"ip\": \"192.0.2.1\", \"reputation\": \"malicious\"}");
        Indicator undated = indicator(DEFAULTS.map(CtiFixtures.parse(noDates), NOW, RULES));
        assertEquals("2026-08-22T01:00:00.000Z", undated.validFrom(), "no history: valid from the run");
    }

    @Test
    void indicatorOnlyForConfiguredReputationsAndScores() {
        assertNull(indicator(DEFAULTS.map(CtiFixtures.record(PAGE2, 1), NOW, RULES)), "benign is not in the default list");
        CrowdSecStixMapper none = new CrowdSecStixMapper(ShippedMapping.defaults()
                .withIndicators(CrowdSecMapping.reputations(""), Duration.ofDays(30), 0));
        assertNull(indicator(none.map(CtiFixtures.record(PAGE1, 0), NOW, RULES)));
        CrowdSecStixMapper benignToo = new CrowdSecStixMapper(ShippedMapping.defaults()
                .withIndicators(CrowdSecMapping.reputations(" Malicious , BENIGN,,"), Duration.ofDays(30), 0));
        assertTrue(indicator(benignToo.map(CtiFixtures.record(PAGE2, 1), NOW, RULES)) != null);
        assertNull(indicator(benignToo.map(CtiFixtures.record(PAGE1, 1), NOW, RULES)), "suspicious no longer listed");

        CrowdSecStixMapper min50 = new CrowdSecStixMapper(ShippedMapping.defaults()
                .withIndicators(CrowdSecMapping.reputations("malicious,suspicious,known"), Duration.ofDays(30), 50));
        assertTrue(indicator(min50.map(CtiFixtures.record(PAGE1, 0), NOW, RULES)) != null, "score 100");
        assertNull(indicator(min50.map(CtiFixtures.record(PAGE1, 1), NOW, RULES)), "score 40");
        assertNull(indicator(min50.map(CtiFixtures.parse(CtiFixtures.json(
                "{\"ip\": \"192.0.2.1\", \"reputation\": \"malicious\"}")), NOW, RULES)), "no score");

        ObjectNode unknown = CtiFixtures.item(PAGE1, 0);
        unknown.put("reputation", "hyper-malicious");
        MappedIp odd = DEFAULTS.map(CtiFixtures.parse(unknown), NOW, RULES);
        assertNull(indicator(odd), "an unknown reputation gets no indicator");
        assertFalse(observable(odd).labels().contains("hyper-malicious"), "nor a label: it has no colour");
    }

    @Test
    void configurationIsChecked() {
        CrowdSecMapping d = ShippedMapping.defaults();
        assertThrows(IllegalArgumentException.class, () -> d.withIndicators(Set.of(), Duration.ZERO, 0));
        assertThrows(IllegalArgumentException.class, () -> d.withIndicators(Set.of(), Duration.ofDays(3651), 0));
        assertThrows(IllegalArgumentException.class, () -> d.withIndicators(Set.of(), Duration.ofDays(1), 101));
        assertEquals(Set.of("malicious", "suspicious", "known"), d.indicatorCreateFrom());
        assertEquals(Tlp.AMBER, d.tlp());
    }

    // ---- the official connector's bugs, fixed (seed-connectors §2.7, issue 4) -------------------------------

    @Test
    void bug1ReputationLabelsAreApplied() {
        MappedIp mapped = DEFAULTS.map(CtiFixtures.record(PAGE1, 0), NOW, RULES);
        assertTrue(observable(mapped).labels().contains("malicious"));
        assertTrue(indicator(mapped).labels().contains("malicious"));
        assertEquals("#FF0000", labelColour(mapped, "malicious"));
    }

    @Test
    void bug6NoteAndSightingAreTheSameObjectsOnTheNextRun() {
        CtiRecord first = CtiFixtures.record(PAGE1, 0);
        MappedIp run1 = DEFAULTS.map(first, NOW, RULES);

        // a day later CrowdSec has new reports: last_seen, scores and percentages moved, lists came in another order
        ObjectNode later = CtiFixtures.item(PAGE1, 0);
        ((ObjectNode) later.get("history")).put("last_seen", "2026-08-22T20:00:00+00:00");
        ((ObjectNode) later.get("scores").get("last_day")).put("total", 2);
        ((ObjectNode) later.get("target_countries")).put("US", 30).put("DE", 25);
        ArrayNode behaviors = (ArrayNode) later.get("behaviors");
        behaviors.insert(0, behaviors.remove(2));
        MappedIp run2 = DEFAULTS.map(CtiFixtures.parse(later), NOW.plus(Duration.ofDays(1)), RULES);

        assertEquals(note(run1).id(), note(run2).id());
        assertEquals(note(run1).content(), note(run2).content());
        assertEquals(sighting(run1).id(), sighting(run2).id());
        assertEquals("2026-08-22T20:00:00.000Z", sighting(run2).lastSeen(), "same sighting, dates updated");
        assertEquals("2026-05-02T14:15:00.000Z", note(run2).created(), "created is the IP's first_seen");

        // a real change of profile is a new assessment: a new note, still the same sighting
        ObjectNode changed = later.deepCopy();
        ((ArrayNode) changed.get("behaviors")).addObject().put("name", "smb:bruteforce").put("label", "SMB Bruteforce");
        MappedIp run3 = DEFAULTS.map(CtiFixtures.parse(changed), NOW.plus(Duration.ofDays(2)), RULES);
        assertNotEquals(note(run1).id(), note(run3).id());
        assertEquals(sighting(run1).id(), sighting(run3).id());

        // two IPs with the same profile never share a note
        ObjectNode twin = CtiFixtures.item(PAGE1, 0);
        twin.put("ip", "192.0.2.11");
        assertNotEquals(note(run1).id(), note(DEFAULTS.map(CtiFixtures.parse(twin), NOW, RULES)).id());
    }

    @Test
    void bug6NoFakeSightingRef() {
        for (ObjectNode item : CtiFixtures.allItems()) {
            MappedIp mapped = DEFAULTS.map(CtiFixtures.parse(item), NOW, RULES);
            Indicator indicator = indicator(mapped);
            List<Sighting> sightings = ofType(mapped.objects(), Sighting.class);
            if (indicator == null) {
                assertEquals(List.of(), sightings, "no indicator, no sighting: an observable is not an SDO");
            } else {
                assertEquals(1, sightings.size());
                assertEquals(indicator.id(), sightings.get(0).sightingOfRef());
                assertEquals(List.of(CROWDSEC), sightings.get(0).whereSightedRefs());
            }
            for (StixObject o : mapped.all()) {
                String json = StixChecks.json(o).toString();
                assertFalse(json.contains(OFFICIAL_FAKE_INDICATOR), json);
                assertFalse(json.contains("x_opencti_sighting_of_ref"), json);
            }
        }
    }

    @Test
    void bug7TheObservableOnce() {
        for (ObjectNode item : CtiFixtures.allItems()) {
            MappedIp mapped = DEFAULTS.map(CtiFixtures.parse(item), NOW, RULES);
            assertEquals(1, ofType(mapped.all(), IpObservable.class).size());
        }
    }

    @Test
    void bug8SharedEntitiesAreNeitherMarkedNorClaimed() {
        Set<String> sharedTypes = Set.of("attack-pattern", "vulnerability", "location", "label");
        int checked = 0;
        for (ObjectNode item : CtiFixtures.allItems()) {
            for (StixObject o : DEFAULTS.map(CtiFixtures.parse(item), NOW, RULES).all()) {
                JsonNode j = StixChecks.json(o);
                if (sharedTypes.contains(o.type())) {
                    checked++;
                    assertFalse(j.has("created_by_ref"), j.toString());
                    assertFalse(j.has("object_marking_refs"), j.toString());
                } else {
                    // what the feed asserts is its own: authored and marked
                    assertTrue(j.has("created_by_ref") || j.has("x_opencti_created_by_ref"), j.toString());
                    assertEquals(Tlp.AMBER.id(), j.get("object_marking_refs").get(0).asText(), j.toString());
                }
            }
        }
        assertTrue(checked > 50, "the fixtures hold many shared entities: " + checked);
    }

    @Test
    void bug9UnknownCountriesAndNullBlocksDoNotDropTheIp() {
        ObjectNode item = CtiFixtures.item(PAGE1, 0);
        item.set("target_countries", CtiFixtures.json("{\"XX\": 50, \"FR\": 50}"));
        item.putNull("location");
        item.putNull("history");
        MappedIp mapped = DEFAULTS.map(CtiFixtures.parse(item), NOW, RULES);
        assertEquals(List.of("France"), ofType(mapped.shared(), Location.class).stream().map(Location::name).toList());
        assertEquals(List.of(), StixChecks.schemaErrors(mapped.all()));
    }

    @Test
    void bug10SubTechniqueUrlsPointAtTheSubTechnique() {
        ObjectNode item = CtiFixtures.json("""
                {"ip": "192.0.2.1", "mitre_techniques": [{"name": "T1110.001", "label": "Password Guessing"},
                                                          {"name": "T1110", "label": "Brute Force"}]}
                """);
        List<AttackPattern> techniques = ofType(DEFAULTS.map(CtiFixtures.parse(item), NOW, RULES).shared(), AttackPattern.class);
        // the URLs of ATT&CK's own STIX data (mitre/cti), so the external references merge with the MITRE connector's
        assertEquals("https://attack.mitre.org/techniques/T1110/001", techniques.get(0).externalReferences().get(0).url());
        assertEquals("https://attack.mitre.org/techniques/T1110", techniques.get(1).externalReferences().get(0).url());
        assertEquals("T1110.001", techniques.get(0).mitreId());
        assertEquals("mitre-attack", techniques.get(0).externalReferences().get(0).sourceName());
        assertEquals("T1110.001", techniques.get(0).externalReferences().get(0).externalId());
        assertEquals(StixIds.attackPattern(null, "T1110.001"), techniques.get(0).id());
        assertEquals("Password Guessing", techniques.get(0).name(), "the technique's name, not a CrowdSec-made one");
    }

    /**
     * The ids that differ on OpenCTI 7 (OPENCTI7.md): T1059 as pycti 7 keys it, the note's abstract in its id, the
     * label as the platform 7.260807.0+ stores it (case kept); the same record under the 6.x rules keeps 6.x ids.
     * Expected ids come from pycti's own vectors (src/test/resources/opencti/pycti-id-vectors-*.json).
     */
    @Test
    void theRunsIdRulesPickTheOpenCti7Ids() {
        ObjectNode item = CtiFixtures.json("""
                {"ip": "45.83.64.10", "reputation": "malicious",
                 "history": {"first_seen": "2026-11-22T08:15:00+00:00"},
                 "mitre_techniques": [{"name": "T1059", "label": "Command and Scripting Interpreter"}]}
                """);
        CtiRecord record = CtiFixtures.parse(item);
        MappedIp seven = DEFAULTS.map(record, NOW, IdRules.NEWEST);
        MappedIp six = DEFAULTS.map(record, NOW, IdRules.OPENCTI_6);

        assertEquals("attack-pattern--2564d78f-c102-5432-99eb-c6bb50177e94",
                only(seven.shared(), AttackPattern.class, t -> true).id());
        assertEquals("attack-pattern--bab942ff-7c9c-5062-9e92-3392bfb2fd74",
                only(six.shared(), AttackPattern.class, t -> true).id());
        // T1059 as a label: "label--d965def8" is pycti's id of "T1110"; here the same rule for T1059
        assertEquals(StixIds.label("T1059"), only(seven.shared(), Label.class, l -> l.value().equals("T1059")).id());
        assertEquals(StixIds.label("t1059"), only(six.shared(), Label.class, l -> l.value().equals("T1059")).id());
        Note note7 = note(seven);
        Note note6 = note(six);
        assertEquals("CrowdSec enrichment for 45.83.64.10", note7.noteAbstract());
        assertEquals(IdRules.NEWEST.note(note7.created(), note7.content(), note7.noteAbstract()), note7.id());
        assertEquals(StixIds.note(note6.created(), note6.content()), note6.id());
        assertNotEquals(note6.id(), note7.id());
    }

    @Test
    void falsePositivesSuppressTheIndicator() {
        ObjectNode item = CtiFixtures.item(PAGE1, 0);
        ((ObjectNode) item.get("classifications")).putArray("false_positives").addObject()
                .put("name", "cdn:cloudflare").put("label", "Cloudflare");
        MappedIp mapped = DEFAULTS.map(CtiFixtures.parse(item), NOW, RULES);
        assertNull(indicator(mapped));
        assertEquals(List.of(), ofType(mapped.objects(), Sighting.class));
        List<Relationship> relationships = ofType(mapped.objects(), Relationship.class);
        assertTrue(relationships.stream().noneMatch(r -> r.relationshipType().equals("based-on")));
        assertEquals(3, relationships.stream().filter(r -> r.relationshipType().equals("related-to")
                && r.sourceRef().equals(observable(mapped).id()) && r.targetRef().startsWith("attack-pattern--")).count());
        assertTrue(note(mapped).content().contains("**False positives**:\n- Cloudflare"), note(mapped).content());
    }

    // ---- what else the official connector creates ----------------------------------------------------------

    @Test
    void relationshipsPerIp() {
        MappedIp p21 = DEFAULTS.map(CtiFixtures.record(PAGE2, 0), NOW, RULES);
        String indicator = indicator(p21).id();
        String observable = observable(p21).id();
        Set<String> relationships = ofType(p21.objects(), Relationship.class).stream()
                .map(r -> r.relationshipType() + " " + r.sourceRef() + " " + r.targetRef()).collect(Collectors.toSet());
        assertEquals(Set.of(
                "based-on " + indicator + " " + observable,
                "indicates " + indicator + " " + StixIds.attackPattern(null, "T1190"),
                "indicates " + indicator + " " + StixIds.attackPattern(null, "T1595"),
                "related-to " + StixIds.vulnerability("CVE-2021-41773") + " " + observable,
                "related-to " + StixIds.vulnerability("CVE-2022-26134") + " " + observable), relationships);
        // technique -> target country, as shared objects: 2 techniques × 10 countries
        List<Relationship> targets = ofType(p21.shared(), Relationship.class);
        assertEquals(20, targets.size());
        assertTrue(targets.stream().allMatch(r -> r.relationshipType().equals("targets")
                && r.sourceRef().startsWith("attack-pattern--") && r.targetRef().startsWith("location--")));
    }

    @Test
    void countriesAreIsoNamedWithTheirCodes() {
        Location us = only(DEFAULTS.map(CtiFixtures.record(PAGE1, 0), NOW, RULES).shared(), Location.class,
                l -> "US".equals(l.country()));
        assertEquals("United States", us.name(), "pycountry's (ISO) name, as the official connector");
        assertEquals(List.of("US", "USA", "United States of America"), us.aliases());
        assertEquals("Country", us.locationType());
    }

    @Test
    void noteAndSightingContent() {
        MappedIp mapped = DEFAULTS.map(CtiFixtures.record(PAGE1, 0), NOW, RULES);
        Note note = note(mapped);
        assertEquals("""
                CrowdSec CTI for **192.0.2.10**

                **Reputation**: malicious
                **Confidence**: high
                **First seen**: 2026-05-02T14:15:00.000Z
                **Origin**: NL (Amsterdam)
                **Autonomous system**: AS64500 EXAMPLE-HOSTING-AS
                **IP range**: 192.0.2.0/24
                **Reverse DNS**: vps-10.hosting.example.net
                **Behaviors**:
                - Exploitation attempt: IP has been reported trying to exploit known vulnerability/CVE on unspecified protocols.
                - HTTP Scan: IP has been reported for performing actions related to HTTP vulnerability scanning and discovery.
                - SSH Bruteforce: IP has been reported for performing brute force on ssh services.
                **Classifications**:
                - CrowdSec Community Blocklist: IP belongs to the CrowdSec Community Blocklist
                - Data Center: IP is known to be hosted in a data center.
                **Most targeted countries**:
                - Australia
                - Canada
                - France
                - Germany
                - Japan
                - Netherlands
                - Poland
                - Singapore
                - United Kingdom
                - United States""", note.content());
        assertEquals(List.of(observable(mapped).id(), indicator(mapped).id()), note.objectRefs());
        assertEquals(List.of("external"), note.noteTypes());
        assertEquals("2026-08-22T01:00:00.000Z", note.modified());

        Sighting sighting = sighting(mapped);
        assertEquals("2026-05-02T14:15:00.000Z", sighting.firstSeen());
        assertEquals("2026-08-21T23:45:00.000Z", sighting.lastSeen());
        assertEquals(90, sighting.confidence());
        assertEquals(List.of("https://app.crowdsec.net/cti/192.0.2.10", "https://attack.mitre.org/techniques/T1110",
                        "https://attack.mitre.org/techniques/T1190", "https://attack.mitre.org/techniques/T1595"),
                sighting.externalReferences().stream().map(r -> r.url()).toList());
    }

    @Test
    void hostileTextCannotShapeTheNote() {
        ObjectNode item = CtiFixtures.json("{\"ip\": \"192.0.2.1\", \"reputation\": \"malicious\"}");
        item.putArray("behaviors").addObject().put("label", "x\n**Reputation**: safe\n# pwned");
        String content = note(DEFAULTS.map(CtiFixtures.parse(item), NOW, RULES)).content();
        assertEquals(1, content.lines().filter(l -> l.startsWith("**Reputation**")).count(), content);
        assertTrue(content.lines().noneMatch(l -> l.startsWith("#")), content);
    }

    @Test
    void entitySwitches() {
        CtiRecord p11 = CtiFixtures.record(PAGE1, 0);
        CrowdSecMapping d = ShippedMapping.defaults();

        MappedIp noTechniques = new CrowdSecStixMapper(d.withEntities(false, true, true, true, true, false)).map(p11, NOW, RULES);
        assertEquals(List.of(), ofType(noTechniques.shared(), AttackPattern.class));
        assertEquals(List.of(), ofType(noTechniques.shared(), Location.class), "countries only when linked");
        assertEquals(List.of(), ofType(noTechniques.shared(), Relationship.class));

        MappedIp noCves = new CrowdSecStixMapper(d.withEntities(true, false, true, true, true, false)).map(p11, NOW, RULES);
        assertEquals(List.of(), ofType(noCves.shared(), Vulnerability.class));
        assertTrue(ofType(noCves.objects(), Relationship.class).stream().noneMatch(r -> r.sourceRef().startsWith("vulnerability--")));

        MappedIp noLocations = new CrowdSecStixMapper(d.withEntities(true, true, false, true, true, true)).map(p11, NOW, RULES);
        assertEquals(List.of(), ofType(noLocations.shared(), Location.class));
        assertEquals(1, ofType(noLocations.objects(), Sighting.class).size(), "no country sightings without countries");

        MappedIp quiet = new CrowdSecStixMapper(d.withEntities(true, true, true, false, false, false)).map(p11, NOW, RULES);
        assertEquals(List.of(), ofType(quiet.objects(), Note.class));
        assertEquals(List.of(), ofType(quiet.objects(), Sighting.class));

        MappedIp red = new CrowdSecStixMapper(d.withTlp(Tlp.RED)).map(p11, NOW, RULES);
        assertEquals(List.of(Tlp.RED.id()), indicator(red).objectMarkingRefs());
        assertEquals(List.of(Tlp.RED.marking(), CrowdSecStixMapper.AUTHOR), new CrowdSecStixMapper(d.withTlp(Tlp.RED)).commonObjects());
    }

    @Test
    void targetedCountriesSightings() {
        CrowdSecStixMapper mapper = new CrowdSecStixMapper(ShippedMapping.defaults()
                .withEntities(true, true, true, true, true, true));
        MappedIp mapped = mapper.map(CtiFixtures.record(PAGE1, 2), NOW, RULES);
        String indicator = indicator(mapped).id();
        List<Sighting> byCountry = ofType(mapped.objects(), Sighting.class).stream()
                .filter(s -> s.whereSightedRefs().get(0).startsWith("location--")).toList();
        assertEquals(List.of(60, 40), byCountry.stream().map(Sighting::count).toList(), "US 60 %, BR 40 %");
        assertEquals(List.of(StixIds.location("United States", "Country"), StixIds.location("Brazil", "Country")),
                byCountry.stream().map(s -> s.whereSightedRefs().get(0)).toList());
        assertTrue(byCountry.stream().allMatch(s -> s.sightingOfRef().equals(indicator)));
        assertEquals(List.of(), StixChecks.schemaErrors(mapped.all()));
        assertEquals(List.of(), ofType(mapper.map(CtiFixtures.record(PAGE2, 1), NOW, RULES).objects(), Sighting.class),
                "no indicator, no country sightings either");
    }

    @Test
    void aBundleHoldsEachSharedObjectOnce() {
        List<CtiRecord> records = new ArrayList<>();
        for (String page : List.of(PAGE1, PAGE2)) {
            records.addAll(CtiParser.parsePage(CtiFixtures.read(page)).records());
        }
        BundleParts bundle = new BundleParts();
        MappedIp first = DEFAULTS.map(records.get(0), NOW, RULES);
        bundle.addAll(first.all());
        assertEquals(first.all(), bundle.objects(), "the first IP of a bundle carries all its shared objects");
        for (CtiRecord r : records.subList(1, records.size())) {
            MappedIp mapped = DEFAULTS.map(r, NOW, RULES);
            int before = bundle.size();
            int fresh = bundle.countNew(mapped.all());
            bundle.addAll(mapped.all());
            assertEquals(before + fresh, bundle.size(), "countNew counts what addAll adds");
        }
        List<StixObject> run = bundle.objects();
        // T1595 is in four of the five items, the United States in all five
        assertEquals(1, run.stream().filter(o -> o.id().equals(StixIds.attackPattern(null, "T1595"))).count());
        assertEquals(1, run.stream().filter(o -> o.id().equals(StixIds.location("United States", "Country"))).count());
        assertEquals(run.size(), new HashSet<>(run.stream().map(StixObject::id).toList()).size(), "nothing twice");
        assertEquals(5, ofType(run, IpObservable.class).size());
        // every ref resolves to an object sent before it (or in the common objects)
        List<StixObject> sent = new ArrayList<>(DEFAULTS.commonObjects());
        for (StixObject o : run) {
            sent.add(o);
            assertEquals(Set.of(), StixChecks.danglingRefs(List.of(o), sent), o.id());
        }
    }

    @Test
    void mappingIsDeterministic() {
        CtiRecord r = CtiFixtures.record(PAGE2, 0);
        assertEquals(json(DEFAULTS.map(r, NOW, RULES).all()), json(DEFAULTS.map(r, NOW, RULES).all()));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private static void expect(CtiRecord r, Integer confidence, List<String> indicatorTypes, List<String> blocklistUrls,
                               List<String> labels) {
        MappedIp mapped = DEFAULTS.map(r, NOW, RULES);
        Indicator indicator = indicator(mapped);
        String ip = r.ip().value();
        if (confidence == null) {
            assertNull(indicator, ip);
        } else {
            assertEquals(confidence, indicator.confidence(), ip);
            assertEquals(indicatorTypes, indicator.indicatorTypes() == null ? List.of() : indicator.indicatorTypes(), ip);
            List<String> urls = new ArrayList<>();
            urls.add("https://app.crowdsec.net/cti/" + ip);
            urls.addAll(blocklistUrls);
            assertEquals(urls, indicator.externalReferences().stream().map(e -> e.url()).toList(), ip);
            assertEquals(labels, indicator.labels(), ip);
        }
        assertEquals(labels, observable(mapped).labels(), ip);
        assertEquals(labels, ofType(mapped.shared(), Label.class).stream().map(Label::value).toList(), ip);
        assertEquals("https://app.crowdsec.net/cti/" + ip, observable(mapped).externalReferences().get(0).url());
    }

    private static List<StixObject> withCommon(List<StixObject> objects) {
        List<StixObject> all = new ArrayList<>(DEFAULTS.commonObjects());
        all.addAll(objects);
        return all;
    }

    private static <T> List<T> ofType(List<StixObject> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T> T only(List<StixObject> objects, Class<T> type, java.util.function.Predicate<T> which) {
        List<T> matching = ofType(objects, type).stream().filter(which).toList();
        assertEquals(1, matching.size(), type.getSimpleName() + " " + matching);
        return matching.get(0);
    }

    private static IpObservable observable(MappedIp m) {
        return only(m.objects(), IpObservable.class, o -> true);
    }

    private static Indicator indicator(MappedIp m) {
        List<Indicator> indicators = ofType(m.objects(), Indicator.class);
        assertTrue(indicators.size() <= 1);
        return indicators.isEmpty() ? null : indicators.get(0);
    }

    private static Note note(MappedIp m) {
        return only(m.objects(), Note.class, n -> true);
    }

    private static Sighting sighting(MappedIp m) {
        return only(m.objects(), Sighting.class, s -> true);
    }

    private static String labelColour(MappedIp m, String value) {
        return only(m.shared(), Label.class, l -> l.value().equals(value)).color();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String json(List<StixObject> objects) {
        return objects.stream().map(o -> StixChecks.json(o).toString()).collect(Collectors.joining("\n"));
    }
}
