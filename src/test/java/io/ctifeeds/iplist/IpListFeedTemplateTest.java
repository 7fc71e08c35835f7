package io.ctifeeds.iplist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.observe.StartupReport;
import io.ctifeeds.stix.StixSchemaValidator;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The README's promise: any IP list is a feed in one YAML block. The block of issue 13, saved as a file of its own
 * beside the shipped route files with only its URL pointed at a local server, run over each real public list of
 * the fixtures: schema-valid objects with pycti's ids, the feed's own snapshot, delta and delisting.
 */
class IpListFeedTemplateTest {

    private static final StixSchemaValidator STIX = StixSchemaValidator.fromClasspath("stix2.1-schemas");

    /** pycti 7.260817.0 Identity.generate_id("blocklist.de", "organization") (pycti-id-vectors-7.260817.0.json). */
    private static final String BLOCKLIST_DE = "identity--d6bdd6d8-efac-58b1-927f-322ed5ef21e7";
    /** pycti Indicator.generate_id("[ipv4-addr:value = '1.10.16.0/20']") (the same vector file). */
    private static final String DROP_INDICATOR = "indicator--3f9758b6-144d-5992-9772-87f2fbd9dc47";
    /** python3: uuid5(UUID('00abedb4-aa42-466c-9c01-fed23315a9b7'), '{"value":"1.10.16.0/20"}'), as stix2 makes it. */
    private static final String DROP_OBSERVABLE = "ipv4-addr--0c92e3b7-1b96-5833-b68c-2480b447f530";

    @TempDir
    Path dir;

    /** The block users copy, with the feed name, URL and author given. */
    static String block(String feed, String url, String author) {
        return """
                - templatedRoute:
                    routeTemplateRef: ip-list-feed
                    routeId: %s
                    parameters:
                      - name: feed
                        value: %s
                      - name: url
                        value: %s
                      - name: author
                        value: %s
                """.formatted(feed, feed, url, author);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "blocklist_de.ipset, blocklist-de, blocklist.de, 26104",
        "et_compromised.ipset, et-compromised, Emerging Threats, 574",
        "firehol_level1.netset, firehol-level1, FireHOL, 4477",
        "spamhaus_drop.txt, spamhaus-drop, Spamhaus, 1378",
        "feodo_ipblocklist_recommended.txt, feodo, abuse.ch, 244",
    })
    void everyRealListIsAFeedInOneBlock(String file, String feed, String author, int entries) throws Exception {
        Path routes = Fixtures.copyOfRoutes(dir);
        try (FeedServer server = new FeedServer()) {
            server.serve(Fixtures.bytes("lists/" + file));
            Files.writeString(routes.resolve(feed + ".camel.yaml"), block(feed, server.url("/" + file), author));
            try (TestApp app = new TestApp(dir.resolve("data"), Map.of(
                    "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml")).start()) {
                // scheduled by connector.duration-period: the first run comes at start-up
                FeedRun run = app.awaitEndedRuns(1, Duration.ofSeconds(60)).get(0);
                assertFalse(run.failed(), run.failure());
                assertEquals(feed, run.feed());
                assertEquals(0, run.count(Counter.REJECTED), "every line of a real list is read");
                assertEquals(entries, run.count(Counter.FETCHED));
                assertEquals(entries, run.count(Counter.NEW) + run.count(Counter.SKIPPED)
                        + run.count(Counter.DUPLICATES));
                assertTrue(run.count(Counter.NEW) > 0);

                List<JsonNode> objects = app.objects();
                for (JsonNode bundle : app.bundles()) {
                    assertEquals(List.of(), STIX.validateBundleDeep(bundle));
                }
                JsonNode identity = objects.stream().filter(o -> o.get("type").asText().equals("identity"))
                        .findFirst().orElseThrow();
                assertEquals(author, identity.get("name").asText());
                Set<String> authors = objects.stream().filter(o -> o.has("created_by_ref"))
                        .map(o -> o.get("created_by_ref").asText()).collect(Collectors.toSet());
                assertEquals(Set.of(identity.get("id").asText()), authors, "one author on every object");
                if (feed.equals("blocklist-de")) {
                    assertEquals(BLOCKLIST_DE, identity.get("id").asText());
                }
                if (feed.equals("spamhaus-drop")) {
                    JsonNode indicator = objects.stream().filter(o -> o.path("pattern").asText()
                            .equals("[ipv4-addr:value = '1.10.16.0/20']")).findFirst().orElseThrow();
                    assertEquals(DROP_INDICATOR, indicator.get("id").asText());
                    JsonNode observable = objects.stream().filter(o -> o.path("value").asText()
                            .equals("1.10.16.0/20")).findFirst().orElseThrow();
                    assertEquals(DROP_OBSERVABLE, observable.get("id").asText());
                }
                long indicators = objects.stream().filter(o -> o.get("type").asText().equals("indicator")).count();
                assertEquals(run.count(Counter.NEW), indicators);
                // the labels default to the feed's name
                assertTrue(objects.stream().filter(o -> o.get("type").asText().equals("indicator"))
                        .allMatch(o -> o.get("labels").toString().equals("[\"" + feed + "\"]")));
                assertTrue(Files.exists(dir.resolve("data/state/" + feed + ".snapshot.tsv")), "its own snapshot");

                // the start-up report knows it by its name, with the URL it fetches
                String report = StartupReport.report(app.context(), app.feedRegistry());
                assertTrue(report.contains("feed " + feed + ": 6h after each run ends, the first run at start-up (route "
                        + feed + ")"), report);
                assertTrue(report.contains("source: " + server.url("/" + file)), report);
            }
        }
    }

    @Test
    void deltaAndDelistingAreTheFeedsOwn() throws Exception {
        Path routes = Fixtures.copyOfRoutes(dir);
        List<String> lines = Fixtures.lines("lists/spamhaus_drop.txt");
        try (FeedServer server = new FeedServer()) {
            server.serve(String.join("\n", lines) + "\n");
            // no ETag: every run reads the whole list, so the delta is computed, not skipped by a 304
            server.validators(false);
            Files.writeString(routes.resolve("drop.camel.yaml"), block("drop", server.url("/drop.txt"), "Spamhaus"));
            try (TestApp app = new TestApp(dir.resolve("data"), Map.of(
                    "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml",
                    "connector.duration-period", "PT100H")).start()) {
                FeedRun first = app.awaitEndedRuns(1, Duration.ofSeconds(60)).get(0);
                assertFalse(first.failed(), first.failure());
                assertEquals(1378, first.count(Counter.NEW), first.feed());

                app.clearBundles();
                FeedRun same = app.run("drop");
                assertFalse(same.failed(), same.failure());
                assertEquals(0, same.count(Counter.NEW));
                assertEquals(1378, same.count(Counter.UNCHANGED));
                assertEquals(List.of(), app.bundleFiles(), "an unchanged list sends nothing");

                // 1.10.16.0/20 leaves the list: its indicator is revoked, under the list's author
                server.serve(lines.stream().filter(l -> !l.startsWith("1.10.16.0/20")).collect(
                        Collectors.joining("\n")) + "\n");
                FeedRun delisted = app.run("drop");
                assertFalse(delisted.failed(), delisted.failure());
                assertEquals(1, delisted.count(Counter.DELISTED));
                JsonNode revoked = app.objects().stream().filter(o -> o.get("type").asText().equals("indicator"))
                        .findFirst().orElseThrow();
                assertEquals(DROP_INDICATOR, revoked.get("id").asText());
                assertTrue(revoked.get("revoked").asBoolean());
                // IPsum's state is untouched by another feed's runs
                assertFalse(Files.exists(dir.resolve("data/state/ipsum.snapshot.tsv")));
            }
        }
    }

    @Test
    void aWrongParameterStopsTheStartWithItsName() throws Exception {
        Path routes = Fixtures.copyOfRoutes(dir);
        Files.writeString(routes.resolve("bad.camel.yaml"), block("bad feed", "ftp://example.org/x", "X"));
        TestApp app = new TestApp(dir.resolve("data"), Map.of(
                "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml"));
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, app::start);
        String all = rootMessages(e);
        assertTrue(all.contains("ip-list-feed") && all.contains("parameter feed"), all);
        app.close();
    }

    private static String rootMessages(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            out.append(t.getMessage()).append(" | ");
        }
        return out.toString();
    }
}
