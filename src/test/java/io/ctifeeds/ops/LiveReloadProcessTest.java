package io.ctifeeds.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import io.ctifeeds.testing.AppProcess;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live route editing (CAMEL_MAIN_ROUTES_RELOAD_ENABLED=true) in a running connector: a route file with an error
 * is refused with a log line naming the file and the line, and the routes already running go on; fixed, it
 * loads without a restart (a new feed file too, which holds only a templatedRoute). The connector runs as a
 * separate JVM from a folder of its own, as a user runs it.
 */
class LiveReloadProcessTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** A save as an editor does it: the whole file appears at once, never half written. */
    private void save(String name, String yaml) throws Exception {
        Path draft = dir.resolve("draft.tmp");
        Files.writeString(draft, yaml);
        Files.move(draft, dir.resolve("routes").resolve(name), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /** A feed in one block (an ip-list-feed instance) named "probe"; the key on line 6 is the given one. */
    private static String probeFeed(String key, String url) {
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
                """.formatted(key, url);
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

                // an unknown key on line 6
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
}
