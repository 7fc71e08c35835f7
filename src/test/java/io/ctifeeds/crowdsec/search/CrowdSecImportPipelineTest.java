package io.ctifeeds.crowdsec.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ctifeeds.crowdsec.api.CtiFixtures;
import io.ctifeeds.crowdsec.mapping.StixChecks;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.stix.Tlp;
import io.ctifeeds.testing.CapturedLog;
import io.ctifeeds.testing.CtiApiServer;
import io.ctifeeds.testing.CtiApiServer.Reply;
import io.ctifeeds.testing.PyctiIds;
import io.ctifeeds.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CrowdSec import route end to end: the real YAML routes and settings, a local CTI API serving the fixtures
 * (and hostile variants), the directory sink. Each official bug fix is checked on the STIX that comes out.
 */
class CrowdSecImportPipelineTest {

    // without a platform (the folder sink) ids follow the newest OpenCTI rules: labels keep their case, MITRE ids
    // are folded
    /** gen-pycti-ids.py: Label.generate_id("malicious"). */
    private static final String LABEL_MALICIOUS = "label--cd0487f9-da15-527e-98b7-e4fe90ffef52";
    /** gen-pycti-ids.py: Label.generate_id("suspicious"). */
    private static final String LABEL_SUSPICIOUS = "label--da627dc0-3186-5559-ab6a-26436fc4c41c";
    /** pycti vector: Label.generate_id("T1110"). */
    private static final String LABEL_T1110 = "label--d965def8-f3d7-5436-adae-c4d0b5935292";
    /** pycti vector: Label.generate_id("CVE-2024-6387"). */
    private static final String LABEL_CVE_2024_6387 = "label--d1d5b66b-fe43-59d4-8341-52f099e178b8";
    /** gen-pycti-ids.py: pycti 7's AttackPattern.generate_id("Active Scanning", "T1595"). */
    private static final String T1595_OPENCTI_7 = "attack-pattern--f19988ae-759e-51a5-b4ce-3b1f922d97cf";

    private static final String KEY = ImportUnderTest.KEY;
    private static final String FEED = ImportUnderTest.FEED;

    @TempDir
    Path data;
    @RegisterExtension
    final ImportUnderTest crowdsec = new ImportUnderTest();
    private final CtiApiServer api = crowdsec.api();
    private TestApp app;

    private TestApp start(Map<String, String> overrides) throws Exception {
        app = crowdsec.start(data, overrides);
        return app;
    }

    private TestApp start() throws Exception {
        return start(Map.of());
    }

    private Map<String, JsonNode> byId() throws Exception {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        app.objects().forEach(o -> byId.putIfAbsent(o.get("id").asText(), o));
        return byId;
    }

    private List<JsonNode> ofType(String type) throws Exception {
        return app.objects().stream().filter(o -> o.get("type").asText().equals(type)).toList();
    }

    private static String observableId(String ip) {
        return PyctiIds.observable(ip);
    }

    private static String indicatorId(String ip) {
        return PyctiIds.indicator(ip);
    }

    // region paging, window, threshold

    @Test
    void pagesThroughTheSearchWithTheKeyTheQueryTheWindowAndAnExplicitLimit() throws Exception {
        FeedRun run = start().run(FEED);

        assertFalse(run.failed(), run.failure());
        assertEquals(5, run.count(Counter.FETCHED));
        assertEquals(5, run.count(Counter.NEW));
        assertEquals(2, run.count(Counter.PAGES));
        List<CtiApiServer.Request> searches = api.searches();
        assertEquals(2, searches.size());
        CtiApiServer.Request first = searches.get(0);
        assertEquals(KEY, first.header("x-api-key"));
        assertEquals("behaviors.label:\"SSH Bruteforce\"", first.query().get("query"));
        assertEquals("24h", first.query().get("since"));
        assertEquals("3", first.query().get("limit"));
        // the second request is the next link as the API gave it
        assertEquals("2", searches.get(1).query().get("page"));
        assertEquals(first.query().get("query"), searches.get(1).query().get("query"));
        assertEquals(KEY, searches.get(1).header("x-api-key"));
        for (CtiApiServer.Request search : searches) {
            assertEquals("cti-feeds/crowdsec-import", search.header("User-Agent"));
            assertEquals("application/json", search.header("Accept"));
        }
    }

    @Test
    void everyBundleValidatesAndEveryIdIsPyctis() throws Exception {
        start().run(FEED);

        assertFalse(app.bundles().isEmpty());
        for (JsonNode bundle : app.bundles()) {
            assertEquals(List.of(), StixChecks.VALIDATOR.validateBundleDeep(bundle));
            // a bundle is self-contained: every ref resolves inside it
            Set<String> ids = new HashSet<>();
            bundle.get("objects").forEach(o -> ids.add(o.get("id").asText()));
            assertEquals(ids.size(), bundle.get("objects").size(), "no object twice in a bundle");
            for (JsonNode o : bundle.get("objects")) {
                o.fields().forEachRemaining(f -> {
                    if (f.getKey().endsWith("_ref")) {
                        assertTrue(ids.contains(f.getValue().asText()), o.get("id") + " " + f.getKey());
                    } else if (f.getKey().endsWith("_refs")) {
                        f.getValue().forEach(r -> assertTrue(ids.contains(r.asText()), o.get("id") + " " + f.getKey()));
                    }
                });
            }
        }
        Map<String, JsonNode> byId = byId();
        for (ObjectNode item : CtiApiServer.fixtureItems()) {
            String ip = item.get("ip").asText();
            assertEquals(ip, byId.get(observableId(ip)).get("value").asText(), ip);
        }
        // PROTOCOL.md 5.4 vectors through the same generators
        assertTrue(byId.containsKey(PyctiIds.CROWDSEC));
        assertTrue(byId.containsKey(PyctiIds.FRANCE));
        assertTrue(byId.containsKey(Tlp.AMBER.id()));
    }

    @Test
    void theMappingOfTheFixturesFollowsTheReadmeTableWithTheOfficialBugsFixed() throws Exception {
        start().run(FEED);
        Map<String, JsonNode> byId = byId();
        String author = PyctiIds.CROWDSEC;

        // indicators for malicious, suspicious, known; none for the benign scanner; confidence from the CTI
        Map<String, Integer> confidence = Map.of("192.0.2.10", 90, "2001:db8:4f1a::25", 60, "198.51.100.77", 30,
                "203.0.113.45", 60);
        confidence.forEach((ip, expected) -> {
            JsonNode indicator = byId.get(indicatorId(ip));
            assertNotNull(indicator, ip);
            assertEquals(expected, indicator.get("confidence").asInt(), ip);
            JsonNode observable = byId.get(observableId(ip));
            // scores feed x_opencti_score on both, alike
            assertEquals(observable.get("x_opencti_score"), indicator.get("x_opencti_score"), ip);
            assertTrue(indicator.get("valid_until").asText().compareTo(indicator.get("valid_from").asText()) > 0);
        });
        assertNull(byId.get(indicatorId("198.51.100.200")), "benign: no indicator");
        assertEquals("2026-08-21T23:45:00.000Z", byId.get(indicatorId("192.0.2.10")).get("valid_from").asText(),
                "valid_from is last_seen");

        // bug 1: reputation labels applied, with their colours
        JsonNode malicious = byId.get(LABEL_MALICIOUS);
        assertEquals("#FF0000", malicious.get("color").asText());
        assertTrue(jsonList(byId.get(observableId("192.0.2.10")).get("x_opencti_labels")).contains("malicious"));
        assertTrue(jsonList(byId.get(indicatorId("192.0.2.10")).get("labels")).contains("malicious"));
        assertEquals("#FFA500", byId.get(LABEL_SUSPICIOUS).get("color").asText());
        assertEquals("#000080", byId.get(LABEL_T1110).get("color").asText());
        assertEquals("#800080", byId.get(LABEL_CVE_2024_6387).get("color").asText());

        // bug 6: one sighting per indicator, of the indicator, no fake ref; the benign IP has none
        List<JsonNode> sightings = ofType("sighting");
        assertEquals(4, sightings.stream().map(s -> s.get("id").asText()).distinct().count());
        Set<String> indicators = ofType("indicator").stream().map(i -> i.get("id").asText()).collect(Collectors.toSet());
        for (JsonNode s : sightings) {
            assertTrue(indicators.contains(s.get("sighting_of_ref").asText()), s.toString());
            assertEquals(author, s.get("where_sighted_refs").get(0).asText());
        }
        assertFalse(app.objects().toString().contains("indicator--51b92778-cef0-4a90-b7ec-ebd620d01ac8"));
        assertEquals(5, ofType("note").stream().map(n -> n.get("id").asText()).distinct().count(), "a note per IP");

        // bug 8: shared entities neither marked nor claimed
        for (String type : List.of("attack-pattern", "vulnerability", "location", "label")) {
            for (JsonNode o : ofType(type)) {
                assertNull(o.get("created_by_ref"), o.toString());
                assertNull(o.get("object_marking_refs"), o.toString());
            }
        }
        // ATT&CK techniques merge with the MITRE connector's
        JsonNode bruteForce = byId.get(PyctiIds.T1110_OPENCTI_7);
        assertEquals("T1110", bruteForce.get("x_mitre_id").asText());
        assertNotNull(byId.get(PyctiIds.CVE_2024_6387));
        // what we author carries our marking and identity
        for (String type : List.of("indicator", "relationship", "sighting", "note")) {
            for (JsonNode o : ofType(type)) {
                assertEquals(author, o.get("created_by_ref").asText(), o.toString());
                assertEquals(Tlp.AMBER.id(), o.get("object_marking_refs").get(0).asText(), o.toString());
            }
        }
        // the author carries the CTI link, as the official identity does
        assertEquals("https://app.crowdsec.net/cti/",
                byId.get(author).get("external_references").get(0).get("url").asText());
    }

    /** pycti's boolean spellings reach the mapping beans: "No" turns the notes off, "YES" the sightings on. */
    @Test
    void pyctiBooleanSpellingsReachTheRoutesBeans() throws Exception {
        FeedRun run = start(Map.of("crowdsec.import-page-size", "5", "crowdsec.create-note", "No",
                "crowdsec.create-sighting", "YES")).run(FEED);

        assertFalse(run.failed(), run.failure());
        assertEquals(List.of(), ofType("note"));
        assertFalse(ofType("sighting").isEmpty());
    }

    @Test
    void aSharedEntityIsInABundleOnceAndTheObservableOnce() throws Exception {
        FeedRun run = start(Map.of("crowdsec.import-page-size", "5")).run(FEED);

        assertFalse(run.failed(), run.failure());
        List<JsonNode> bundles = app.bundles();
        assertEquals(1, bundles.size(), "one page, one bundle");
        List<String> ids = new ArrayList<>();
        bundles.get(0).get("objects").forEach(o -> ids.add(o.get("id").asText()));
        assertEquals(new HashSet<>(ids).size(), ids.size());
        // T1595 is in four items, the United States in all five: once each
        assertTrue(ids.contains(T1595_OPENCTI_7));
        assertTrue(ids.contains(PyctiIds.UNITED_STATES));
        assertEquals(5, ofType("ipv4-addr").size() + ofType("ipv6-addr").size());
    }

    @Test
    void theThresholdStopsPagingAndCapsTheIpsTaken() throws Exception {
        FeedRun run = start(Map.of("crowdsec.enrichment-threshold-per-import", "4")).run(FEED);

        assertFalse(run.failed(), run.failure());
        assertEquals(4, run.count(Counter.FETCHED));
        assertEquals(1, run.count(Counter.SKIPPED), "the fifth IP was returned, not taken");
        assertEquals(2, api.searches().size());
        assertEquals(4, ofType("note").size());
        app.close();
        app = null;

        // a threshold under the page size asks for no more than it takes
        Files.walk(data).sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(data))
                .forEach(p -> p.toFile().delete());
        int before = api.searches().size();
        run = start(Map.of("crowdsec.enrichment-threshold-per-import", "2")).run(FEED);
        assertEquals(2, run.count(Counter.FETCHED));
        assertEquals(before + 1, api.searches().size(), "no second page");
        assertEquals("2", api.searches().get(before).query().get("limit"));
    }

    @Test
    void theWindowReachesBackToTheLastSuccessfulRun() throws Exception {
        Path state = data.resolve("state").resolve(FEED + ".state.json");
        Files.createDirectories(state.getParent());
        Instant lastSuccess = Instant.now().minus(Duration.ofHours(49)).minus(Duration.ofMinutes(30));
        Files.writeString(state, "{\"source\": \"x\", \"lastGoodBytes\": 0, \"lastGoodCount\": 0, \"lastSuccess\": \""
                + lastSuccess + "\"}");
        FeedRun run = start().run(FEED);

        assertFalse(run.failed(), run.failure());
        assertEquals("50h", api.searches().get(0).query().get("since"), "49.5 h of downtime, rounded up");
        // the next run: its own start is the last success; the configured 24 h is the minimum
        run = app.run(FEED);
        assertEquals("24h", api.searches().get(2).query().get("since"));
    }

    // endregion
    // region delta and checkpoints

    @Test
    void anIpReturnedAgainWithNothingNewIsNotSentAgain() throws Exception {
        start().run(FEED);
        app.clearBundles();
        FeedRun again = app.run(FEED);

        assertFalse(again.failed(), again.failure());
        assertEquals(5, again.count(Counter.FETCHED));
        assertEquals(5, again.count(Counter.UNCHANGED));
        assertEquals(0, again.count(Counter.OBJECTS));
        assertEquals(List.of(), app.bundleFiles());

        // a new report on one IP: that IP, and only it, goes out again with the same ids
        List<ObjectNode> items = CtiApiServer.fixtureItems();
        ((ObjectNode) items.get(2).get("history")).put("last_seen", "2026-08-22T06:00:00+00:00");
        api.serve(items);
        FeedRun third = app.run(FEED);
        assertEquals(1, third.count(Counter.CHANGED));
        assertEquals(4, third.count(Counter.UNCHANGED));
        assertEquals(1, ofType("note").size());
        assertEquals(Set.of(observableId("198.51.100.77")),
                ofType("ipv4-addr").stream().map(o -> o.get("id").asText()).collect(Collectors.toSet()));
        assertEquals("2026-08-22T06:00:00.000Z", ofType("indicator").get(0).get("valid_from").asText());
    }

    @Test
    void aFailureOnPageTwoKeepsPageOneDeliveredAndRecorded() throws Exception {
        start(Map.of("connector.fetch-retries", "1"));
        // page 1 answers; page 2 fails both attempts
        Reply badGateway = new Reply.Status(502, "{\"message\": \"Bad Gateway\"}");
        api.afterRequests(1, badGateway, badGateway);
        FeedRun failed = app.run(FEED);

        assertTrue(failed.failed());
        assertTrue(failed.failure().contains("HTTP 502"), failed.failure());
        assertEquals(List.of(200, 502, 502), api.requests().stream().map(CtiApiServer.Request::status).toList(),
                "one try and connector.fetch-retries=1 retry");
        assertEquals(3, ofType("note").size(), "page 1 is delivered");
        assertTrue(Files.exists(data.resolve("state").resolve(FEED + ".journal.tsv")), "and checkpointed");
        assertNull(stateLastSuccess(), "a failed run is no success");

        app.clearBundles();
        FeedRun next = app.run(FEED);
        assertFalse(next.failed(), next.failure());
        assertEquals(3, next.count(Counter.UNCHANGED), "page 1 is not sent twice");
        assertEquals(2, next.count(Counter.NEW));
        assertFalse(Files.exists(data.resolve("state").resolve(FEED + ".journal.tsv")), "folded into the snapshot");
        assertNotNull(stateLastSuccess());
    }

    private String stateLastSuccess() throws Exception {
        Path state = data.resolve("state").resolve(FEED + ".state.json");
        if (!Files.exists(state)) {
            return null;
        }
        JsonNode node = CtiFixtures.JSON.readTree(state.toFile());
        return node.hasNonNull("lastSuccess") ? node.get("lastSuccess").asText() : null;
    }

    // endregion
    // region the API's answers

    @Test
    void tooManyRequestsWaitsAsAskedAndGoesOn() throws Exception {
        start(Map.of("connector.fetch-retry-delay-ms", "10"));
        api.thenReply(new Reply.Status(429, CtiApiServer.TOO_MANY_REQUESTS, Map.of("Retry-After", "1")));
        FeedRun run = app.run(FEED);

        assertFalse(run.failed(), run.failure());
        assertEquals(5, run.count(Counter.NEW));
        List<CtiApiServer.Request> searches = api.searches();
        assertEquals(3, searches.size(), "the throttled page asked again, then page 2");
        assertEquals(429, searches.get(0).status());
        long waitedMs = (searches.get(1).nanoTime() - searches.get(0).nanoTime()) / 1_000_000;
        assertTrue(waitedMs >= 900, "Retry-After: 1 honoured, waited " + waitedMs + " ms");
    }

    @Test
    void tooManyRequestsWithoutRetryAfterBacksOffExponentially() throws Exception {
        // what the real API sends: no Retry-After is documented, so the connector's own backoff must hold
        start(Map.of("connector.fetch-retry-delay-ms", "300"));
        api.thenReply(new Reply.Status(429, CtiApiServer.TOO_MANY_REQUESTS),
                new Reply.Status(429, CtiApiServer.TOO_MANY_REQUESTS));
        FeedRun run = app.run(FEED);

        assertFalse(run.failed(), run.failure());
        assertEquals(5, run.count(Counter.NEW));
        List<CtiApiServer.Request> searches = api.searches();
        assertEquals(4, searches.size(), "the throttled page twice more, then page 2");
        long first = (searches.get(1).nanoTime() - searches.get(0).nanoTime()) / 1_000_000;
        long second = (searches.get(2).nanoTime() - searches.get(1).nanoTime()) / 1_000_000;
        assertTrue(first >= 300, "waited the retry delay: " + first + " ms");
        assertTrue(second >= 600, "then twice as long: " + second + " ms");
    }

    @Test
    void limitExceededEndsTheRunShortKeepingWhatWasFetched() throws Exception {
        api.quota(3);
        FeedRun run = start().run(FEED);

        assertFalse(run.failed(), "a spent quota is not a failure: " + run.failure());
        assertNotNull(run.shortfall());
        assertTrue(run.shortfall().contains("quota"), run.shortfall());
        assertEquals(3, ofType("note").size(), "page 1 is delivered");
        assertEquals(2, api.searches().size(), "no retry of a spent quota");
        assertNull(stateLastSuccess(), "the window is searched again next time");

        api.quota(1000);
        app.clearBundles();
        FeedRun next = app.run(FEED);
        assertNull(next.shortfall());
        assertEquals(3, next.count(Counter.UNCHANGED));
        assertEquals(2, next.count(Counter.NEW));
        assertNotNull(stateLastSuccess());
    }

    @Test
    void aRefusedKeyStopsTheRunWithAMessageThatNamesTheFix() throws Exception {
        FeedRun run = start(Map.of("crowdsec.key", "wrong-key-ABCDEFGH")).run(FEED);

        assertTrue(run.failed());
        assertTrue(run.failure().contains("HTTP 403"), run.failure());
        assertTrue(run.failure().contains("CROWDSEC_KEY"), run.failure());
        assertTrue(run.failure().contains("advanced CTI plan"), run.failure());
        assertFalse(run.failure().contains("wrong-key-ABCDEFGH"));
        assertEquals(1, api.requests().size(), "a refused key is not retried");
        assertEquals(List.of(), app.bundleFiles());
    }

    @Test
    void anUnauthorizedAnswerIsNotRetriedAndSaysSoInOneLineWithoutTheKey() throws Exception {
        start();
        api.thenReply(new Reply.Status(401, CtiApiServer.UNAUTHORIZED));
        CapturedLog<FeedRun> captured = CapturedLog.of(() -> app.run(FEED));
        FeedRun run = captured.result();

        assertTrue(run.failed());
        assertTrue(run.failure().contains("HTTP 401"), run.failure());
        assertTrue(run.failure().contains("CROWDSEC_KEY"), run.failure());
        assertEquals(1, api.requests().size(), "a refused key is not retried");
        assertEquals(1, captured.lines("CROWDSEC_KEY"), captured.text());
        assertFalse(captured.text().contains(KEY), "the key is never logged");
        assertEquals(List.of(), app.bundleFiles());
    }

    @Test
    void requestTimeoutsAreRetriedABoundedNumberOfTimesThenTheRunFailsKeepingThePagesBefore() throws Exception {
        start(Map.of("connector.fetch-retry-delay-ms", "10", "connector.fetch-retries", "2"));
        Reply timeout = new Reply.Status(408, "{\"message\": \"Request Timeout\"}");
        api.afterRequests(1, timeout, timeout, timeout, timeout);
        FeedRun run = app.run(FEED);

        assertTrue(run.failed());
        assertTrue(run.failure().contains("HTTP 408"), run.failure());
        assertEquals(1 + 3, api.searches().size(), "page 1, then page 2 once and retried twice");
        assertEquals(3, ofType("note").size(), "page 1 is delivered");
        assertNull(stateLastSuccess());
    }

    @Test
    void aRequestTimeoutRetriedInTimeLosesNothing() throws Exception {
        start(Map.of("connector.fetch-retry-delay-ms", "10", "connector.fetch-retries", "2"));
        Reply timeout = new Reply.Status(408, "{\"message\": \"Request Timeout\"}");
        api.afterRequests(1, timeout, timeout);
        FeedRun run = app.run(FEED);

        assertFalse(run.failed(), run.failure());
        assertEquals(5, run.count(Counter.NEW));
        assertEquals(1 + 3, api.searches().size());
    }

    @Test
    void aTransferCutOffMidPageIsRetriedABoundedNumberOfTimesAndThePagesBeforeAreKept() throws Exception {
        start(Map.of("connector.fetch-retry-delay-ms", "10", "connector.fetch-retries", "2"));
        Reply cut = new Reply.CutTransfer(200);
        api.afterRequests(1, cut, cut, cut, cut);
        FeedRun run = app.run(FEED);

        assertTrue(run.failed());
        assertEquals(1 + 3, api.searches().size(), "page 1, then page 2 once and retried twice");
        assertEquals(3, ofType("note").size(), "page 1 is delivered");
        assertFalse(run.failure().contains(KEY));
        assertNull(stateLastSuccess());

        // the next run takes the window again: page 1 is not sent twice, page 2 is
        app.clearBundles();
        FeedRun next = app.run(FEED);
        assertFalse(next.failed(), next.failure());
        assertEquals(3, next.count(Counter.UNCHANGED));
        assertEquals(2, next.count(Counter.NEW));
    }

    @Test
    void serverErrorsAreRetriedWithBackoff() throws Exception {
        start(Map.of("connector.fetch-retry-delay-ms", "10"));
        api.thenReply(new Reply.Status(500, "{\"message\": \"Internal Server Error\"}"),
                new Reply.Status(503, "<html>busy</html>"));
        FeedRun run = app.run(FEED);

        assertFalse(run.failed(), run.failure());
        assertEquals(5, run.count(Counter.NEW));
        assertEquals(4, api.searches().size());
    }

    @Test
    void aRefusedQueryNamesTheQuerySetting() throws Exception {
        api.thenReply(new Reply.Status(400, "{\"message\": \"invalid query: unexpected token\"}"));
        FeedRun run = start().run(FEED);

        assertTrue(run.failed());
        assertTrue(run.failure().contains("CROWDSEC_IMPORT_QUERY"), run.failure());
        assertTrue(run.failure().contains("invalid query"), run.failure());
    }

    @Test
    void aNextLinkToAnotherHostIsNotFollowed() throws Exception {
        ObjectNode page = CtiFixtures.JSON.createObjectNode();
        page.putObject("_links").putObject("next").put("href", "https://evil.example.net/steal?page=2");
        page.putArray("items").add(CtiApiServer.fixtureItems().get(0));
        api.thenReply(new Reply.Status(200, page.toString()));
        FeedRun run = start().run(FEED);

        assertTrue(run.failed());
        assertTrue(run.failure().contains("evil.example.net"), run.failure());
        assertEquals(1, api.requests().size());
        assertEquals(1, ofType("note").size(), "what came before is still delivered");
    }

    // endregion
    // region hostile input

    @Test
    void hostileItemsAreCountedAndNeverCrashTheRun() throws Exception {
        List<JsonNode> items = new ArrayList<>(CtiApiServer.fixtureItems());
        ObjectNode nulls = CtiFixtures.item(CtiFixtures.PAGE1, 0);
        nulls.put("ip", "192.0.2.99");
        nulls.put("ip_range_score", "high");
        for (String field : List.of("location", "history", "target_countries", "scores", "classifications",
                "reputation", "confidence")) {
            nulls.putNull(field);
        }
        for (String field : List.of("mitre_techniques", "cves", "behaviors", "references", "attack_details")) {
            nulls.put(field, "None");
        }
        ObjectNode odd = CtiFixtures.item(CtiFixtures.PAGE1, 1);
        odd.put("ip", "192.0.2.98");
        odd.put("reputation", "dangerous-new-value");
        ((ObjectNode) odd.get("target_countries")).put("XX", 12);
        odd.put("unknown_field", "x");
        ObjectNode badIp = CtiFixtures.item(CtiFixtures.PAGE1, 2);
        badIp.put("ip", "999.1.2.3");
        items.add(nulls);
        items.add(odd);
        items.add(badIp);
        items.add(TextNode.valueOf("not an object"));
        api.serve(items);
        FeedRun run = start().run(FEED);

        assertFalse(run.failed(), run.failure());
        assertEquals(7, run.count(Counter.NEW));
        assertEquals(2, run.count(Counter.REJECTED));
        assertEquals(2, run.count(CrowdSecImport.INCOMPLETE), "records with unusable fields are counted");
        for (JsonNode bundle : app.bundles()) {
            assertEquals(List.of(), StixChecks.VALIDATOR.validateBundleDeep(bundle));
        }
        Map<String, JsonNode> byId = byId();
        assertNotNull(byId.get(observableId("192.0.2.99")));
        assertNull(byId.get(indicatorId("192.0.2.98")), "an unknown reputation gets no indicator");
        assertFalse(app.objects().toString().contains("999.1.2.3"));
    }

    @Test
    void aCutOffPageEndsTheRunAndKeepsThePagesBefore() throws Exception {
        start();
        api.afterRequests(1, new Reply.CutBody(200));
        FeedRun run = app.run(FEED);

        assertTrue(run.failed());
        assertTrue(run.failure().contains("not valid JSON"), run.failure());
        assertEquals(3, ofType("note").size());
    }

    // endregion

    private static List<String> jsonList(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
