package io.ctifeeds.ipsum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.stix.StixSchemaValidator;
import io.ctifeeds.testing.CapturedLog;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.PyctiIds;
import io.ctifeeds.testing.TestApp;
import io.ctifeeds.testing.TestApps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The IPsum route end to end: the real YAML routes, a local feed server, the directory sink. */
class IpsumPipelineTest {

    private static final StixSchemaValidator STIX = StixSchemaValidator.fromClasspath("stix2.1-schemas");
    private static final String WHITE = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";

    @TempDir
    Path data;
    @RegisterExtension
    final FeedServer server = FeedServer.create();
    @RegisterExtension
    final TestApps apps = new TestApps();
    private TestApp app;

    private TestApp start(Map<String, String> overrides) throws Exception {
        app = apps.start(data, Map.of("connector.ipsum.api-base-url", server.url("/levels/8.txt")), overrides);
        return app;
    }

    private TestApp start() throws Exception {
        return start(Map.of());
    }

    @Test
    void levelFileBecomesValidStixWithPyctiIds() throws Exception {
        List<String> ips = Fixtures.lines("ipsum/levels_8.txt");
        server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        FeedRun run = start().run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(23, run.count(Counter.FETCHED));
        assertEquals(23, run.count(Counter.NEW));
        List<JsonNode> bundles = app.bundles();
        assertEquals(1, bundles.size(), "23 IPs x 3 objects + author + marking fit one bundle");
        assertEquals(23 * 3 + 2, bundles.get(0).get("objects").size());
        for (JsonNode bundle : bundles) {
            assertEquals(List.of(), STIX.validateBundleDeep(bundle));
        }

        Map<String, JsonNode> byId = app.objects().stream()
                .collect(Collectors.toMap(o -> o.get("id").asText(), o -> o, (a, b) -> a, LinkedHashMap::new));
        String author = PyctiIds.IPSUM;
        assertEquals("IPsum", byId.get(author).get("name").asText());
        assertTrue(byId.containsKey(WHITE));
        for (String ip : ips) {
            String observableId = PyctiIds.observable(ip);
            String pattern = "[ipv4-addr:value = '" + ip + "']";
            String indicatorId = PyctiIds.indicator(ip);
            JsonNode observable = byId.get(observableId);
            JsonNode indicator = byId.get(indicatorId);
            assertEquals(ip, observable.get("value").asText());
            assertEquals(pattern, indicator.get("pattern").asText());
            assertEquals("stix", indicator.get("pattern_type").asText());
            assertEquals("IPv4-Addr", indicator.get("x_opencti_main_observable_type").asText());
            // level files carry no count: the seed's fixed default score, on both objects
            assertEquals(60, indicator.get("x_opencti_score").asInt());
            assertEquals(60, observable.get("x_opencti_score").asInt());
            assertEquals(author, indicator.get("created_by_ref").asText());
            assertEquals(WHITE, indicator.get("object_marking_refs").get(0).asText());
            assertTrue(indicator.get("valid_until").asText().compareTo(indicator.get("valid_from").asText()) > 0);
            JsonNode rel = byId.get(PyctiIds.basedOn(ip));
            assertEquals("based-on", rel.get("relationship_type").asText());
            assertEquals(indicatorId, rel.get("source_ref").asText());
            assertEquals(observableId, rel.get("target_ref").asText());
        }
    }

    @Test
    void countsBecomeScoresByTheDocumentedRule() throws Exception {
        server.serve(Fixtures.bytes("ipsum/ipsum_sample_by_count.txt"));
        FeedRun run = start(Map.of("connector.ipsum.api-base-url", server.url("/ipsum.txt"))).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(30, run.count(Counter.FETCHED));
        Map<String, Integer> counts = new HashMap<>();
        for (String line : Fixtures.lines("ipsum/ipsum_sample_by_count.txt")) {
            if (!line.startsWith("#")) {
                String[] parts = line.split("\t");
                counts.put(parts[0], Integer.parseInt(parts[1]));
            }
        }
        int checked = 0;
        for (JsonNode o : app.objects()) {
            if (o.get("type").asText().equals("indicator")) {
                int count = counts.get(o.get("name").asText());
                // min(100, 20 + 10 * (count - 1)), the defaults of application.properties
                assertEquals(Math.min(100, 20 + 10 * (count - 1)), o.get("x_opencti_score").asInt(), "count " + count);
                checked++;
            }
        }
        assertEquals(30, checked);
    }

    @Test
    void unchangedFeedCostsOne304AndEmitsNothing() throws Exception {
        server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        start();
        app.run("ipsum");
        app.clearBundles();

        FeedRun second = app.run("ipsum");

        assertFalse(second.failed(), second.failure());
        assertEquals("\"v1\"", server.lastHeader("If-None-Match"));
        assertEquals(0, second.count(Counter.FETCHED), "a 304 reads nothing");
        assertEquals(List.of(), app.bundleFiles());
    }

    @Test
    void anUnchangedFeedStillRefreshesWhatIsDueAtHalfItsLifetime() throws Exception {
        // an ETag, an unchanged feed: the indicators of IPs still listed must not expire for want of a 200
        server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        start();
        io.ctifeeds.feed.FeedRuns runs = app.context().getRegistry().lookupByNameAndType("feedRuns",
                io.ctifeeds.feed.FeedRuns.class);
        java.time.Instant first = java.time.Instant.parse("2026-11-01T00:00:00Z");
        runs.setClock(java.time.Clock.fixed(first, java.time.ZoneOffset.UTC));
        assertEquals(23, app.run("ipsum").count(Counter.NEW));
        runs.setClock(java.time.Clock.fixed(first.plus(java.time.Duration.ofDays(1)), java.time.ZoneOffset.UTC));
        assertEquals(0, app.run("ipsum").count(Counter.FETCHED), "a day later: not due, one 304");
        app.clearBundles();

        // 15 days: half the 30-day indicator lifetime
        runs.setClock(java.time.Clock.fixed(first.plus(java.time.Duration.ofDays(15)), java.time.ZoneOffset.UTC));
        FeedRun due = app.run("ipsum");

        assertFalse(due.failed(), due.failure());
        assertEquals(23, due.count(Counter.REFRESHED), "every IP still listed is sent again");
        assertEquals(1, app.bundleFiles().size());
        runs.setClock(java.time.Clock.fixed(first.plus(java.time.Duration.ofDays(16)), java.time.ZoneOffset.UTC));
        assertEquals(0, app.run("ipsum").count(Counter.FETCHED), "refreshed: the next unchanged run is a 304 again");
    }

    @Test
    void unchangedContentWithoutValidatorsEmitsNothing() throws Exception {
        server.validators(false);
        server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        start();
        app.run("ipsum");
        app.clearBundles();

        FeedRun second = app.run("ipsum");

        assertEquals(23, second.count(Counter.FETCHED));
        assertEquals(23, second.count(Counter.UNCHANGED));
        assertEquals(0, second.count(Counter.NEW) + second.count(Counter.CHANGED) + second.count(Counter.DELISTED));
        assertEquals(List.of(), app.bundleFiles());
    }

    @Test
    void removedIpsAreDelistedExactlyOnce() throws Exception {
        List<String> ips = Fixtures.lines("ipsum/levels_8.txt");
        server.serve(String.join("\n", ips) + "\n");
        start();
        app.run("ipsum");
        app.clearBundles();

        List<String> kept = ips.subList(0, 20);
        Set<String> removed = new HashSet<>(ips.subList(20, 23));
        server.serve(String.join("\n", kept) + "\n");
        FeedRun second = app.run("ipsum");

        assertFalse(second.failed(), second.failure());
        assertEquals(3, second.count(Counter.DELISTED));
        assertEquals(20, second.count(Counter.UNCHANGED));
        List<JsonNode> sent = app.objects().stream()
                .filter(o -> !o.get("type").asText().equals("identity")
                        && !o.get("type").asText().equals("marking-definition"))
                .toList();
        assertEquals(3, sent.size(), "only the delisted IPs' indicators: " + sent);
        Set<String> revoked = new HashSet<>();
        for (JsonNode o : sent) {
            assertEquals("indicator", o.get("type").asText());
            assertTrue(o.get("revoked").asBoolean());
            assertEquals(PyctiIds.indicator(o.get("name").asText()), o.get("id").asText());
            revoked.add(o.get("name").asText());
        }
        assertEquals(removed, revoked);
        for (JsonNode bundle : app.bundles()) {
            assertEquals(List.of(), STIX.validateBundleDeep(bundle));
        }

        app.clearBundles();
        FeedRun third = app.run("ipsum");
        assertEquals(0, third.count(Counter.DELISTED), "a delisted IP is not delisted again");
        assertEquals(List.of(), app.bundleFiles());
    }

    @Test
    void expirePolicySetsValidUntilInsteadOfRevoking() throws Exception {
        List<String> ips = Fixtures.lines("ipsum/levels_8.txt");
        server.serve(String.join("\n", ips) + "\n");
        start(Map.of("connector.ipsum.delisting-policy", "expire", "connector.ipsum.min-size-ratio", "0"));
        app.run("ipsum");
        app.clearBundles();
        server.serve(ips.get(0) + "\n");

        FeedRun second = app.run("ipsum");

        assertEquals(22, second.count(Counter.DELISTED));
        for (JsonNode o : app.objects()) {
            if (o.get("type").asText().equals("indicator")) {
                assertFalse(o.get("revoked").asBoolean(), "expired, not revoked: " + o);
                assertTrue(o.get("valid_until").asText().compareTo(o.get("valid_from").asText()) > 0);
                assertTrue(o.get("valid_until").asText().compareTo(o.get("modified").asText()) <= 0,
                        "valid_until is now, not in the future: " + o);
            }
        }
    }

    @Test
    void aRelistedIpIsSentExplicitlyNotRevoked() throws Exception {
        List<String> ips = Fixtures.lines("ipsum/levels_8.txt");
        List<String> relisted = ips.subList(20, 23);
        server.serve(String.join("\n", ips) + "\n");
        start();
        app.run("ipsum");
        server.serve(String.join("\n", ips.subList(0, 20)) + "\n");
        assertEquals(3, app.run("ipsum").count(Counter.DELISTED));
        app.clearBundles();

        server.serve(String.join("\n", ips) + "\n");
        FeedRun third = app.run("ipsum");

        assertFalse(third.failed(), third.failure());
        assertEquals(3, third.count(Counter.NEW), "a delisted IP left the snapshot: it comes back as new");
        Map<String, JsonNode> indicators = indicatorsByName(app.objects());
        assertEquals(Set.copyOf(relisted), indicators.keySet());
        for (JsonNode indicator : indicators.values()) {
            // an upsert leaves an absent property as it was: only an explicit false un-revokes the platform's copy
            assertTrue(indicator.has("revoked"), "revoked must be sent: " + indicator);
            assertFalse(indicator.get("revoked").asBoolean(), indicator.toString());
        }
        for (JsonNode bundle : app.bundles()) {
            assertEquals(List.of(), STIX.validateBundleDeep(bundle));
        }
    }

    @Test
    void aRelistedIpUnderExpireIsValidAgainAndNotRevoked() throws Exception {
        List<String> ips = Fixtures.lines("ipsum/levels_8.txt");
        server.serve(String.join("\n", ips) + "\n");
        start(Map.of("connector.ipsum.delisting-policy", "expire"));
        app.run("ipsum");
        server.serve(String.join("\n", ips.subList(0, 20)) + "\n");
        FeedRun second = app.run("ipsum");
        assertEquals(3, second.count(Counter.DELISTED));
        app.clearBundles();

        server.serve(String.join("\n", ips) + "\n");
        FeedRun third = app.run("ipsum");

        assertFalse(third.failed(), third.failure());
        Map<String, JsonNode> indicators = indicatorsByName(app.objects());
        assertEquals(Set.copyOf(ips.subList(20, 23)), indicators.keySet());
        String runStart = third.timestamp();
        for (JsonNode indicator : indicators.values()) {
            assertTrue(indicator.get("valid_until").asText().compareTo(runStart) > 0,
                    "valid_until in the future again: " + indicator);
            assertTrue(indicator.has("revoked") && !indicator.get("revoked").asBoolean(), indicator.toString());
        }
    }

    private static Map<String, JsonNode> indicatorsByName(List<JsonNode> objects) {
        return objects.stream().filter(o -> o.get("type").asText().equals("indicator"))
                .collect(Collectors.toMap(o -> o.get("name").asText(), o -> o));
    }

    @Test
    void brokenDownloadsDelistNothingAndKeepTheSnapshot() throws Exception {
        List<String> ips = Fixtures.lines("ipsum/levels_5.txt");
        server.serve(Fixtures.bytes("ipsum/levels_5.txt"));
        start();
        assertFalse(app.run("ipsum").failed());
        app.clearBundles();
        Path snapshot = data.resolve("state/ipsum.snapshot.tsv");
        byte[] before = Files.readAllBytes(snapshot);

        Map<String, String> broken = new LinkedHashMap<>();
        broken.put("empty", "");
        broken.put("html", "<!DOCTYPE html><html><body>Rate limit exceeded</body></html>\n");
        broken.put("far smaller", String.join("\n", ips.subList(0, 100)) + "\n");
        broken.put("junk only", "this is not a feed\n".repeat(2000));
        // as many bytes as before, far fewer IPs, 100 of them new: refused before a single one is sent (or
        // enriched), as their lookups would spend the CrowdSec quota on a download that is thrown away
        StringBuilder fewer = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            fewer.append("77.77.").append(i).append(".1\n");
        }
        fewer.append("# padding\n".repeat(2100));
        broken.put("far fewer IPs", fewer.toString());
        for (Map.Entry<String, String> bad : broken.entrySet()) {
            server.serve(bad.getValue());
            FeedRun run = app.run("ipsum");
            assertTrue(run.failed(), bad.getKey() + " must fail the run");
            assertEquals(0, run.count(Counter.DELISTED), bad.getKey());
            assertEquals(List.of(), app.bundleFiles(), bad.getKey() + " must emit nothing");
            assertTrue(Files.readAllBytes(snapshot).length == before.length
                    && java.util.Arrays.equals(before, Files.readAllBytes(snapshot)), bad.getKey());
        }

        // the real feed back: nothing was lost, nothing to send
        server.serve(Fixtures.bytes("ipsum/levels_5.txt"));
        FeedRun recovered = app.run("ipsum");
        assertFalse(recovered.failed(), recovered.failure());
        assertEquals(ips.size(), recovered.count(Counter.UNCHANGED));
    }

    @Test
    void hostileLinesAreCountedNeverEmitted() throws Exception {
        String feed = "\uFEFF# header\r\n"
                + "1.2.3.4\t5\r\n"
                + "1.2.3.4\t5\r\n"                       // duplicate
                + "10.0.0.1\t9\r\n"                      // private
                + "127.0.0.1\t9\n"                       // loopback
                + "2001:DB8:0:0:1:0:0:1\t3\n"            // documentation IPv6: skipped as non-public
                + "2a00:1450:4001:0813:0000:0000:0000:200e\t4\n"
                + "999.1.1.1\t2\n"
                + "1.2.3.0/24\t2\n"                     // a CIDR block: one observable of the network
                + "10.1.0.0/15\t2\n"                    // a block that holds private addresses: skipped
                + "8.0.0.0/7\t2\n"                      // wider than ipv4MinPrefix 8: rejected
                + "evil.example.com\n"
                + "'; DROP TABLE x; --\n"
                + "x".repeat(10_000) + "\n"
                + "\u0000\u0001\u00ff\n"
                + "5.6.7.8\n";
        server.serve(feed.getBytes(StandardCharsets.UTF_8));
        FeedRun run = start(Map.of("connector.ipsum.api-base-url", server.url("/ipsum.txt"),
                "connector.ipsum.min-size-ratio", "0")).run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(9, run.count(Counter.FETCHED));
        assertEquals(4, run.count(Counter.SKIPPED));
        assertEquals(1, run.count(Counter.DUPLICATES));
        assertEquals(6, run.count(Counter.REJECTED));
        assertEquals(4, run.count(Counter.NEW));
        Set<String> values = app.objects().stream().filter(o -> o.has("value"))
                .map(o -> o.get("value").asText()).collect(Collectors.toSet());
        assertEquals(Set.of("1.2.3.4", "2a00:1450:4001:813::200e", "5.6.7.8", "1.2.3.0/24"), values);
        for (JsonNode bundle : app.bundles()) {
            assertEquals(List.of(), STIX.validateBundleDeep(bundle));
        }
        JsonNode v6 = app.objects().stream().filter(o -> o.get("type").asText().equals("indicator")
                && o.get("name").asText().contains(":")).findFirst().orElseThrow();
        assertEquals("[ipv6-addr:value = '2a00:1450:4001:813::200e']", v6.get("pattern").asText());
        assertEquals("IPv6-Addr", v6.get("x_opencti_main_observable_type").asText());
    }

    @Test
    void serverErrorsAreRetriedThenSucceed() throws Exception {
        server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        server.thenReply(new FeedServer.Reply.Status(503, "busy"), new FeedServer.Reply.Status(500, "oops"),
                new FeedServer.Reply.Truncated(100));
        FeedRun run = start().run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(4, server.requests().size());
        assertEquals(23, run.count(Counter.NEW));
    }

    @Test
    void persistentServerErrorFailsTheRunWithAClearReason() throws Exception {
        server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        server.thenReply(new FeedServer.Reply.Status(503, ""), new FeedServer.Reply.Status(503, ""),
                new FeedServer.Reply.Status(503, ""), new FeedServer.Reply.Status(503, ""));
        FeedRun run = start().run("ipsum");

        assertTrue(run.failed());
        assertEquals(4, server.requests().size(), "one try and connector.fetch-retries=3 retries");
        assertTrue(run.failure().contains("HTTP 503"), run.failure());
        assertTrue(run.failure().contains(server.url("/levels/8.txt")), run.failure());
    }

    @Test
    void notFoundAndForbiddenStopAtOnceNamingTheUrlWithoutTheKey() throws Exception {
        server.thenReply(new FeedServer.Reply.Status(404, "Not Found"));
        start(Map.of("connector.ipsum.api-base-url", server.url("/levels/9.txt?token=s3cr3t"),
                "connector.ipsum.api-key", "k3y-value"));
        FeedRun run = app.run("ipsum");

        assertTrue(run.failed());
        assertEquals(1, server.requests().size(), "a 404 is not retried");
        assertTrue(run.failure().contains("HTTP 404"), run.failure());
        assertTrue(run.failure().contains(server.url("/levels/9.txt")), run.failure());
        assertFalse(run.failure().contains("s3cr3t") || run.failure().contains("k3y-value"), run.failure());
        assertEquals("Bearer k3y-value", server.lastHeader("Authorization"));

        server.thenReply(new FeedServer.Reply.Status(403, "Forbidden"));
        CapturedLog<FeedRun> captured = CapturedLog.of(() -> app.run("ipsum"));
        FeedRun forbidden = captured.result();
        String logged = captured.text();
        assertTrue(forbidden.failure().contains("HTTP 403"), forbidden.failure());
        assertEquals(2, server.requests().size(), "a 403 is not retried");
        assertTrue(logged.contains("HTTP 403"), "the run's failure line was captured: " + logged);
        assertFalse(logged.contains("k3y-value") || logged.contains("s3cr3t"), logged);
    }

    @Test
    void bundlesNeverExceedTheConfiguredSize() throws Exception {
        server.serve(Fixtures.bytes("ipsum/levels_5.txt"));
        FeedRun run = start(Map.of("connector.bundle-size", "500")).run("ipsum");

        int ips = Fixtures.lines("ipsum/levels_5.txt").size();
        assertEquals(ips, run.count(Counter.NEW));
        List<JsonNode> bundles = app.bundles();
        int objects = 0;
        Set<String> seen = new HashSet<>();
        for (JsonNode bundle : bundles) {
            int size = bundle.get("objects").size();
            assertTrue(size <= 500, "bundle of " + size);
            JsonNode first = bundle.get("objects").get(0);
            assertEquals("marking-definition", first.get("type").asText(), "each bundle carries its marking");
            assertEquals("identity", bundle.get("objects").get(1).get("type").asText());
            for (JsonNode o : bundle.get("objects")) {
                if (!o.get("type").asText().equals("identity") && !o.get("type").asText().equals("marking-definition")) {
                    assertTrue(seen.add(o.get("id").asText()), "an object is sent once");
                    objects++;
                }
            }
        }
        assertEquals(ips * 3, objects);
        assertEquals(bundles.size(), run.count(Counter.BUNDLES));
        assertEquals(ips * 3 + 2L * bundles.size(), run.count(Counter.OBJECTS));
        try (var leftovers = Files.list(app.bundleDir())) {
            assertTrue(leftovers.noneMatch(p -> p.getFileName().toString().startsWith(".")),
                    "no temporary file is left behind");
        }
    }

    @Test
    void partialFilesOfAKilledWriteAreSweptAtStartUp() throws Exception {
        Path bundles = Files.createDirectories(data.resolve("bundles"));
        Path old = Files.writeString(bundles.resolve(".tmp-ipsum-20261101T000000Z-00007.json"), "{\"type\": \"bun");
        Files.setLastModifiedTime(old, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(2))));
        Path writing = Files.writeString(bundles.resolve(".tmp-ipsum-20261201T000000Z-00001.json"), "{");
        Path bundle = Files.writeString(bundles.resolve("ipsum-20261101T000000Z-00001.json"), "{}");
        server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        start();

        long deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(old) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(Files.exists(old), "left by a killed write an hour ago or more: removed");
        assertTrue(Files.exists(writing), "a write that may be in progress (another replica): kept");
        assertTrue(Files.exists(bundle), "bundles are never touched");
    }
    @Test
    void runsInTheSameSecondOnTwoReplicasKeepEveryBundle() throws Exception {
        // two replicas writing into one bundle folder, both starting their run in the same second: each run's
        // bundle is a file of its own
        server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        java.time.Clock sameSecond = java.time.Clock.fixed(java.time.Instant.parse("2026-12-01T10:00:00.250Z"),
                java.time.ZoneOffset.UTC);
        Path shared = data.resolve("bundles");
        Map<String, String> overrides = Map.of("connector.ipsum.api-base-url", server.url("/levels/8.txt"),
                "connector.send-to-directory-path", shared.toString());
        start(overrides);
        app.context().getRegistry().lookupByNameAndType("feedRuns", io.ctifeeds.feed.FeedRuns.class)
                .setClock(sameSecond);
        try (TestApp other = new TestApp(data.resolve("other"), overrides).start()) {
            other.context().getRegistry().lookupByNameAndType("feedRuns", io.ctifeeds.feed.FeedRuns.class)
                    .setClock(sameSecond);
            FeedRun first = app.run("ipsum");
            FeedRun second = other.run("ipsum");
            assertFalse(first.failed(), first.failure());
            assertFalse(second.failed(), second.failure());
            assertEquals(1, first.count(Counter.BUNDLES));
            assertEquals(1, second.count(Counter.BUNDLES));
        }
        assertEquals(2, app.bundleFiles().size(), "two runs, two bundles: " + app.bundleFiles());
    }

    @Test
    void aBundleFileIsNeverOverwritten() throws Exception {
        // whatever made the names meet, an existing bundle is kept and the run that would overwrite it fails
        server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        start();
        FeedRun first = app.run("ipsum");
        assertFalse(first.failed(), first.failure());
        Path existing = app.bundleFiles().get(0);
        org.apache.camel.Exchange clash = app.context().createProducerTemplate().send("direct:deliver-directory",
                e -> {
                    e.getMessage().setHeader("CamelFileName", existing.getFileName().toString());
                    e.getMessage().setBody("{\"type\": \"bundle\", \"objects\": []}".getBytes(StandardCharsets.UTF_8));
                });
        assertTrue(Files.readString(existing).contains("indicator"), "the bundle already there is kept");
        assertNotNull(clash.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class),
                "the write failed on the file already there");
    }
}
