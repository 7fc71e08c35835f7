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
 * A second IPsum level as its own pipeline, made by editing YAML only (the README's recipe): a copy of
 * routes/ipsum.camel.yaml with its own names and URL runs beside the first, with its own state.
 */
class SecondFeedRouteTest {

    @TempDir
    Path dir;

    @Test
    void aCopiedRouteFileIsASecondFeed() throws Exception {
        Path routes = Fixtures.copyOfRoutes(dir);
        try (FeedServer server = new FeedServer()) {
            server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            // the recipe: other bean names, route ids, feed name, trigger name, and the level's URL
            String level8 = Files.readString(routes.resolve("ipsum.camel.yaml"))
                    .replace("ipsumStix", "ipsum8Stix")
                    .replace("ipsumFeed", "ipsum8Feed")
                    .replace("name: ipsum\n", "name: ipsum-level8\n")
                    .replace("ipsum-schedule", "ipsum8-schedule")
                    .replace("ipsum-run", "ipsum8-run")
                    .replace("ipsum-fetch", "ipsum8-fetch")
                    .replace("feeds/ipsum?", "feeds/ipsum8?")
                    .replace("\"{{connector.ipsum.api-base-url}}\"", "\"" + server.url("/levels/8.txt") + "\"");
            Files.writeString(routes.resolve("ipsum-level8.camel.yaml"), level8);

            try (TestApp app = new TestApp(dir.resolve("data"), Map.of(
                    "camel.main.routes-include-pattern", "file:" + routes + "/*.yaml",
                    "connector.ipsum.api-base-url", server.url("/levels/5.txt"))).start()) {
                server.serve(Fixtures.bytes("ipsum/levels_5.txt"));
                FeedRun level5 = app.run("ipsum");
                server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
                FeedRun level8Run = app.run("ipsum8");

                assertFalse(level5.failed(), level5.failure());
                assertFalse(level8Run.failed(), level8Run.failure());
                assertEquals("ipsum-level8", level8Run.feed());
                assertEquals(1413, level5.count(Counter.NEW));
                assertEquals(23, level8Run.count(Counter.NEW), "its own snapshot: everything is new to it");
                assertTrue(Files.exists(dir.resolve("data/state/ipsum.snapshot.tsv")));
                assertTrue(Files.exists(dir.resolve("data/state/ipsum-level8.snapshot.tsv")));
                // the start-up report follows the copied routes: each feed with the URL it really fetches
                String report = StartupReport.report(app.context());
                String nl = System.lineSeparator();
                assertTrue(report.contains("(route ipsum8-schedule)" + nl + "    source: " + server.url("/levels/8.txt")),
                        report);
                assertTrue(report.contains("(route ipsum-schedule)" + nl + "    source: " + server.url("/levels/5.txt")),
                        report);
            }
        }
    }
}
