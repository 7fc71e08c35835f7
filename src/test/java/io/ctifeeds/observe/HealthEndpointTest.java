package io.ctifeeds.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctifeeds.testing.ConnectedPlatform;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Http;
import io.ctifeeds.testing.TcpProxy;
import io.ctifeeds.testing.TestApp;
import io.ctifeeds.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * /observe/health, /live and /ready over real HTTP: readiness reports OpenCTI and its broker (the real RabbitMQ
 * of this machine) when bundles go there, says which is DOWN and why, and never depends on a platform that is
 * not configured. Liveness never depends on them.
 */
class HealthEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path data;
    @RegisterExtension
    final ConnectedPlatform connected = new ConnectedPlatform();
    @RegisterExtension
    final FeedServer feed = FeedServer.ofFixture("ipsum/levels_8.txt");
    private TestApp app;

    private TestApp start(Map<String, String> extra) throws Exception {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("connector.ipsum.api-base-url", feed.url("/levels/8.txt"));
        overrides.put("connector.health-check-timeout-ms", "2000");
        // these tests watch readiness change: every probe asks again
        overrides.put("connector.health-check-cache-ms", "0");
        overrides.putAll(extra);
        app = connected.apps().add(new TestApp(data, overrides).withHttp()).start();
        return app;
    }

    private Map<String, String> withPlatform() throws Exception {
        return connected.settings();
    }

    private Http.Answer health(String path) throws Exception {
        return Http.get(app.baseUrl() + "/observe/health" + path);
    }

    /** A check's message: Camel 4.18 escapes it twice, so a URL's slashes arrive as "\/". */
    private static String message(JsonNode check) {
        return check.path("message").asText().replace("\\/", "/");
    }

    /** The check of that name in a full health answer. */
    private static JsonNode check(Http.Answer answer, String name) throws IOException {
        for (JsonNode check : JSON.readTree(answer.body()).path("checks")) {
            if (name.equals(check.path("name").asText())) {
                return check;
            }
        }
        return null;
    }

    /** Readiness as it settles: the first heartbeat registers the connector right after start-up. */
    private Http.Answer awaitReadiness(int status) throws Exception {
        return awaitReadiness(status, "");
    }

    /** Waits for the readiness status with a body that holds the text. */
    private Http.Answer awaitReadiness(int status, String text) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Http.Answer answer = health("/ready?exposureLevel=full");
        while ((answer.status() != status || !answer.body().contains(text)) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            answer = health("/ready?exposureLevel=full");
        }
        assertEquals(status, answer.status(), answer.body());
        assertTrue(answer.body().contains(text), answer.body());
        return answer;
    }

    @Test
    void withoutOpenCtiReadinessDependsOnNoPlatform() throws Exception {
        start(Map.of());
        Http.Answer ready = health("/ready?exposureLevel=full");
        assertEquals(200, ready.status(), ready.body());
        assertEquals("UP", JSON.readTree(ready.body()).path("status").asText());
        assertEquals(null, check(ready, "opencti"), ready.body());
        assertEquals(null, check(ready, "opencti-broker"), ready.body());
        assertEquals(200, health("/live").status());
        assertEquals(200, health("").status());
    }

    @Test
    void withOpenCtiAndItsBrokerUpTheConnectorIsReady() throws Exception {
        start(withPlatform());
        Http.Answer ready = awaitReadiness(200);
        assertEquals("UP", check(ready, "opencti").path("status").asText(), ready.body());
        assertEquals("UP", check(ready, "opencti-broker").path("status").asText(), ready.body());
    }

    @Test
    void aFloodOfReadinessProbesIsNoFloodOnThePlatform() throws Exception {
        Map<String, String> overrides = withPlatform();
        overrides.put("connector.health-check-cache-ms", "2000");
        start(overrides);
        awaitReadiness(200);

        int before = connected.platform().calls("about").size();
        long started = System.nanoTime();
        for (int i = 0; i < 50; i++) {
            assertEquals(200, health("/ready").status());
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        int asked = connected.platform().calls("about").size() - before;
        // one question per 2 s at most, whatever the number of probes
        assertTrue(asked <= 2 + elapsedMs / 2000, asked + " GraphQL calls for 50 probes in " + elapsedMs + " ms");
    }

    @Test
    void anUnreachableBrokerMakesItNotReadyButAlive() throws Exception {
        int closed = Http.freePort();
        Map<String, String> overrides = withPlatform();
        overrides.put("mq.port", Integer.toString(closed));
        start(overrides);

        // until the registration has named the broker, the check says it is not known yet
        Http.Answer ready = awaitReadiness(503, "127.0.0.1:" + closed);
        JsonNode broker = check(ready, "opencti-broker");
        assertEquals("DOWN", broker.path("status").asText(), ready.body());
        assertTrue(message(broker).contains("127.0.0.1:" + closed), ready.body());
        assertEquals("UP", check(ready, "opencti").path("status").asText(), ready.body());
        Http.Answer all = health("");
        assertEquals(503, all.status());
        assertTrue(all.body().contains("opencti-broker"), "the default answer names what is DOWN: " + all.body());
        assertEquals(200, health("/live").status(), "a broker that is away is no reason to restart");
    }

    @Test
    void aPlatformThatGoesAwayIsReportedByItsUrl() throws Exception {
        start(withPlatform());
        awaitReadiness(200);
        String url = connected.platform().url();
        connected.platform().close();

        Http.Answer ready = awaitReadiness(503);
        JsonNode opencti = check(ready, "opencti");
        assertEquals("DOWN", opencti.path("status").asText(), ready.body());
        assertTrue(message(opencti).contains("OpenCTI at " + url), ready.body());
        assertTrue(message(opencti).contains("unreachable"), ready.body());
        assertEquals(200, health("/live").status());
        assertFalse(ready.body().contains(connected.platform().token()), "no token in a health answer");
    }

    @Test
    void aPlatformThatDoesNotAnswerIsDownWithinTheTimeout() throws Exception {
        // accepts connections and never answers, as a hung platform or a black-holing proxy does
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                java.util.List<Socket> held = new java.util.ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closedAtTheEnd) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // the test is over
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            Map<String, String> overrides = withPlatform();
            overrides.put("opencti.url", "http://127.0.0.1:" + silent.getLocalPort());
            overrides.put("connector.health-check-timeout-ms", "500");
            start(overrides);

            Http.Answer ready = health("/ready?exposureLevel=full");
            assertEquals(503, ready.status(), ready.body());
            assertTrue(message(check(ready, "opencti")).contains("did not answer within 500 ms"),
                    ready.body());
            // a second check waits for the same probe: still DOWN, no pile-up of hung calls
            assertEquals(503, health("/ready").status());
        }
    }

    @Test
    void withThePostgresqlStoreReadinessReportsTheDatabase() throws Exception {
        try (TestDatabase db = new TestDatabase(); TcpProxy database = new TcpProxy(5432).up()) {
            Map<String, String> overrides = new HashMap<>(db.settings());
            overrides.put("connector.postgresql.url", "jdbc:postgresql://127.0.0.1:" + database.port() + "/test");
            start(overrides);
            Http.Answer ready = awaitReadiness(200);
            assertEquals("UP", check(ready, "state-database").path("status").asText(), ready.body());

            database.down();
            ready = awaitReadiness(503);
            JsonNode check = check(ready, "state-database");
            assertEquals("DOWN", check.path("status").asText(), ready.body());
            assertTrue(message(check).contains("PostgreSQL jdbc:postgresql://127.0.0.1:" + database.port() + "/test"),
                    ready.body());
            assertEquals(200, health("/live").status(), "a database that is away is no reason to restart");

            database.up();
            awaitReadiness(200);
        }
    }
}
