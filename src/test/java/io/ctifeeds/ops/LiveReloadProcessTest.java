package io.ctifeeds.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctifeeds.testing.AppProcess;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live route editing (CAMEL_MAIN_ROUTES_RELOAD_ENABLED=true) in a running connector: a route file with an error
 * is refused with a log line naming the file and the line, and the routes already running go on; fixed, it
 * loads without a restart (a new feed file too, which holds only a templatedRoute). A valid edit of a running
 * feed's file (its labels, while a run is in flight with its download held) takes effect for the next run, and the
 * run in flight finishes as it began (its bundles whole, with the labels it started with, its state committed). The
 * connector runs as a separate JVM from a folder of its own, as a user runs it.
 */
class LiveReloadProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A save as an editor does it: the whole file appears at once, never half written. */
    private void save(String name, String yaml) throws Exception {
        Path draft = dir.resolve("draft.tmp");
        Files.writeString(draft, yaml);
        Files.move(draft, dir.resolve("routes").resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A feed in one block (an ip-list-feed instance) named "probe", scheduled never; the key on line 5 is the given
     * one, and the labels parameter is there when given.
     */
    private static String probeFeed(String key, String url, String labels) {
        return """
                - templatedRoute:
                    routeTemplateRef: ip-list-feed
                    routeId: probe
                    parameters:
                      - %s: feed
                        value: probe
                      - name: url
                        value: %s
                      - name: author
                        value: Probe
                      - name: cron
                        value: "0 0 0 1 1 ? 2099"
                """.formatted(key, url) + (labels == null ? "" : """
                      - name: labels
                        value: %s
                """.formatted(labels));
    }

    private static String probeFeed(String key, String url) {
        return probeFeed(key, url, null);
    }

    @Test
    void aBrokenRouteFileIsRefusedWhileTheOthersRunAndLoadsOnceFixed() throws Exception {
        Path routes = Fixtures.copyOfRoutes(dir);
        Files.copy(Path.of("application.properties"), dir.resolve("application.properties"));
        try (FeedServer feed = new FeedServer()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            Map<String, String> env = Map.of("CAMEL_MAIN_ROUTES_RELOAD_ENABLED", "true",
                    "CONNECTOR_IPSUM_API_BASE_URL", feed.url("/levels/8.txt"),
                    "CONNECTOR_IPSUM_CRON", "0 0 0 1 1 ? 2099",
                    // ipsum is triggered twice here, the second time well within the default interval
                    "CONNECTOR_TRIGGER_MIN_INTERVAL", "PT0S");
            try (AppProcess app = AppProcess.start(AppProcess.mainClass(), dir, env, dir.resolve("app.log"))) {
                app.awaitHealthy(WAIT);
                app.awaitLog(WAIT, "Live route reloading enabled (directory: routes)");

                // an unknown key on line 5
                save("probe.camel.yaml", probeFeed("nmae", feed.url("/levels/8.txt")));
                String output = app.awaitLog(WAIT, "Error reloading routes from file: routes/probe.camel.yaml");
                assertTrue(output.contains("routes/probe.camel.yaml due to: Unsupported field: nmae"), output);

                // everything else still runs: the IPsum feed, triggered over HTTP
                assertEquals(200, Http.get(app.baseUrl() + "/observe/health/ready").status());
                assertEquals(202, Http.post(app.baseUrl() + "/feeds/ipsum/run").status());
                app.awaitLog(WAIT, "ipsum run ipsum-", "succeeded: fetched=23");
                assertEquals(404, Http.post(app.baseUrl() + "/feeds/probe/run").status(), "it was not loaded");

                // fixed, the new feed (a file holding only a templatedRoute) loads and runs, with no restart
                save("probe.camel.yaml", probeFeed("name", feed.url("/levels/8.txt")));
                app.awaitLog(WAIT, "routes/probe.camel.yaml: templated route(s) [probe] reloaded");
                assertEquals(202, Http.post(app.baseUrl() + "/feeds/probe/run").status());
                app.awaitLog(WAIT, "probe run probe-", "succeeded: fetched=23");

                // a parameter the template refuses: the file is refused, the feed it had goes on
                save("probe.camel.yaml", probeFeed("name", "ftp://127.0.0.1/list.txt"));
                app.awaitLines(WAIT, "Error reloading routes from file: routes/probe.camel.yaml", 2);
                // the reason is in the causes printed after that line: they may reach the log a moment later
                output = app.awaitLog(WAIT, "ip-list-feed probe parameter url: expected an http(s) URL");
                assertTrue(output.contains("ip-list-feed probe parameter url: expected an http(s) URL"), output);
                assertEquals(202, Http.post(app.baseUrl() + "/feeds/probe/run").status());
                output = app.awaitLines(WAIT, "probe run probe-", 2);
                // unchanged since the first run: 304
                assertEquals(2, output.lines().filter(l -> l.contains("probe run probe-") && l.contains("succeeded: "))
                        .count(), output);
                assertFalse(output.contains("could not be put back"), output);

                // a running feed's own file broken: refused, and the feed keeps its routes
                String ipsum = Files.readString(routes.resolve("ipsum.camel.yaml"));
                save("ipsum.camel.yaml", ipsum + "        - tooo: log:x\n");
                app.awaitLog(WAIT, "Error reloading routes from file: routes/ipsum.camel.yaml");
                assertEquals(202, Http.post(app.baseUrl() + "/feeds/ipsum/run").status());
                output = app.awaitLines(WAIT, "ipsum run ipsum-", 2);
                assertTrue(output.lines().filter(l -> l.contains("ipsum run ipsum-")).allMatch(l -> l.contains("succeeded")),
                        output);

                assertEquals(0, app.terminate(WAIT), app.log());
            }
        }
    }

    @Test
    void anEditTakesEffectForTheNextRunAndTheRunInFlightFinishesAsItBegan() throws Exception {
        Fixtures.copyOfRoutes(dir);
        Files.copy(Path.of("application.properties"), dir.resolve("application.properties"));
        Path bundles = dir.resolve("bundles");
        try (FeedServer feed = new FeedServer()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            save("probe.camel.yaml", probeFeed("name", feed.url("/list.txt"), "before"));
            Map<String, String> env = Map.of("CAMEL_MAIN_ROUTES_RELOAD_ENABLED", "true",
                    "CONNECTOR_IPSUM_ENABLED", "false",
                    "CONNECTOR_SEND_TO_DIRECTORY_PATH", bundles.toString(),
                    "CONNECTOR_TRIGGER_MIN_INTERVAL", "PT0S");
            try (AppProcess app = AppProcess.start(AppProcess.mainClass(), dir, env, dir.resolve("app.log"))) {
                app.awaitHealthy(WAIT);
                app.awaitLog(WAIT, "Live route reloading enabled (directory: routes)");

                CountDownLatch download = new CountDownLatch(1);
                feed.thenReply(new FeedServer.Reply.Held(download));
                assertEquals(202, Http.post(app.baseUrl() + "/feeds/probe/run").status());
                feed.awaitRequests(1, WAIT);

                save("probe.camel.yaml", probeFeed("name", feed.url("/list.txt"), "after"));
                app.awaitLog(WAIT, "templated route(s) [probe] reloaded");
                assertFalse(app.log().contains("Error reloading routes"), app.log());

                download.countDown();
                String output = app.awaitLog(WAIT, "probe run probe-");
                assertTrue(output.contains("succeeded: fetched=23") && output.contains("new=23"), output);
                assertEquals(Set.of("[\"before\"]"), indicatorLabels(bundles), "the run in flight kept its labels");
                assertEquals(71, objects(bundles).size(), "its bundle is whole: 23 IPs, 3 objects each, 2 shared");

                // the next run: the new labels, and the state the first one committed (only levels_5's new IPs)
                clear(bundles);
                feed.serve(Fixtures.bytes("ipsum/levels_5.txt"));
                assertEquals(202, Http.post(app.baseUrl() + "/feeds/probe/run").status());
                output = app.awaitLines(WAIT, "probe run probe-", 2);
                String second = output.lines().filter(l -> l.contains("probe run probe-")).toList().get(1);
                assertTrue(second.contains("succeeded: fetched=1413") && second.contains("new=1390")
                        && second.contains("unchanged=23"), second);
                assertEquals(Set.of("[\"after\"]"), indicatorLabels(bundles), "the edit took effect");
                assertFalse(app.log().contains("[ERROR]"), app.log());

                assertEquals(0, app.terminate(WAIT), app.log());
            }
        }
    }

    private static Set<String> indicatorLabels(Path bundles) throws IOException {
        Set<String> labels = new TreeSet<>();
        for (JsonNode o : objects(bundles)) {
            if ("indicator".equals(o.path("type").asText())) {
                labels.add(o.path("labels").toString());
            }
        }
        return labels;
    }

    private static List<JsonNode> objects(Path bundles) throws IOException {
        List<JsonNode> all = new java.util.ArrayList<>();
        try (Stream<Path> files = Files.list(bundles)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JSON.readTree(f.toFile()).get("objects").forEach(all::add);
            }
        }
        return all;
    }

    private static void clear(Path bundles) throws IOException {
        try (Stream<Path> files = Files.list(bundles)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
    }
}
