package io.ctifeeds.ipsum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.observe.StartupReport;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A second IPsum level as its own pipeline, made by writing YAML only (the README's recipe): one block, an
 * instance of the ip-list-feed template, runs beside the first with its own name, state and trigger.
 */
class SecondFeedRouteTest {

    @TempDir
    Path dir;

    @Test
    void oneBlockIsASecondFeed() throws Exception {
        Path routes = Fixtures.copyOfRoutes(dir);
        try (FeedServer server = new FeedServer()) {
            Files.writeString(routes.resolve("ipsum-level8.camel.yaml"), """
                    - templatedRoute:
                        routeTemplateRef: ip-list-feed
                        routeId: ipsum-level8
                        parameters:
                          - name: feed
                            value: ipsum-level8
                          - name: url
                            value: %s
                          - name: author
                            value: IPsum
                          - name: cron
                            value: "0 0 0 1 1 ? 2099"
                    """.formatted(server.url("/levels/8.txt")));

            try (TestApp app = new TestApp(dir.resolve("data"), Map.of(
                    "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml",
                    "connector.ipsum.api-base-url", server.url("/levels/5.txt"))).start()) {
                server.serve(Fixtures.bytes("ipsum/levels_5.txt"));
                FeedRun level5 = app.run("ipsum");
                server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
                FeedRun level8Run = app.run("ipsum-level8");

                assertFalse(level5.failed(), level5.failure());
                assertFalse(level8Run.failed(), level8Run.failure());
                assertEquals("ipsum-level8", level8Run.feed());
                assertEquals(1413, level5.count(Counter.NEW));
                assertEquals(23, level8Run.count(Counter.NEW), "its own snapshot: everything is new to it");
                assertTrue(Files.exists(dir.resolve("data/state/ipsum.snapshot.tsv")));
                assertTrue(Files.exists(dir.resolve("data/state/ipsum-level8.snapshot.tsv")));
                // the start-up report names each feed with its schedule and the URL it really fetches
                String report = StartupReport.report(app.context(), app.feedRegistry());
                String nl = System.lineSeparator();
                assertTrue(report.contains("feed ipsum-level8: cron '0 0 0 1 1 ? 2099' (route ipsum-level8)" + nl
                        + "    source: " + server.url("/levels/8.txt")), report);
                assertTrue(report.contains("(route ipsum)" + nl + "    source: " + server.url("/levels/5.txt")),
                        report);
            }
        }
    }
}
