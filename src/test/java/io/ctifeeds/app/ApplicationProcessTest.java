package io.ctifeeds.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.ctifeeds.testing.CtiApiServer;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.Http;
import io.ctifeeds.testing.TestPki;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application as a user starts it: a separate JVM running the main class from the project folder, with
 * settings given as environment variables only. Checks exit statuses, the one-line configuration errors
 * and that secrets stay out of the output.
 */
class ApplicationProcessTest {

    private static final String SECRET = "ghp_SuperSecretKey0123456789";

    @TempDir
    Path data;
    private FeedServer server;

    @BeforeEach
    void setUp() throws Exception {
        server = new FeedServer();
        server.serve(Fixtures.bytes("ipsum/levels_8.txt"));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    record Outcome(int status, String output) {
    }

    private Outcome run(Map<String, String> env) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.ctifeeds.CtiFeedsApplication");
        pb.directory(Path.of("").toAbsolutePath().toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CONNECTOR_") || k.startsWith("OPENCTI_")
                || k.startsWith("CAMEL_") || k.startsWith("CROWDSEC_"));
        pb.environment().put("CONNECTOR_DATA_PATH", data.toString());
        // its HTTP server on a port of its own, not the 8080 another build may hold
        pb.environment().put("CAMEL_SERVER_PORT", Integer.toString(Http.freePort()));
        pb.environment().put("CONNECTOR_SEND_TO_DIRECTORY_PATH", data.resolve("bundles").toString());
        pb.environment().put("CONNECTOR_IPSUM_API_BASE_URL", server.url("/levels/8.txt"));
        pb.environment().put("CONNECTOR_FETCH_RETRY_DELAY_MS", "10");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        Path log = data.resolve("process.log");
        pb.redirectOutput(log.toFile());
        Process process = pb.start();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the application did not exit:\n" + Files.readString(log));
        }
        return new Outcome(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }

    private List<Path> bundles() throws IOException {
        Path dir = data.resolve("bundles");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".json")).toList();
        }
    }

    @Test
    void runAndTerminateRunsTheFeedOnceAndExitsZero() throws Exception {
        Outcome outcome = run(Map.of("CONNECTOR_RUN_AND_TERMINATE", "true",
                "CONNECTOR_IPSUM_API_KEY", SECRET, "CONNECTOR_LOG_LEVEL", "debug"));

        assertEquals(0, outcome.status(), outcome.output());
        assertEquals(1, bundles().size(), outcome.output());
        assertTrue(outcome.output().contains("ipsum run ipsum-"), outcome.output());
        assertTrue(outcome.output().contains("new=23"), outcome.output());
        assertEquals("Bearer " + SECRET, server.lastHeader("Authorization"));
        assertFalse(outcome.output().contains(SECRET), "the API key leaked into the log:\n" + outcome.output());
        assertFalse(outcome.output().contains("SuperSecret"), outcome.output());
    }

    @Test
    void aFailedRunExitsOneAndNamesTheUrl() throws Exception {
        server.thenReply(new FeedServer.Reply.Status(404, "Not Found"));
        Outcome outcome = run(Map.of("CONNECTOR_RUN_AND_TERMINATE", "true",
                "CONNECTOR_IPSUM_API_KEY", SECRET));

        assertEquals(1, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("HTTP 404 Not Found from " + server.url("/levels/8.txt")),
                outcome.output());
        assertFalse(outcome.output().contains(SECRET), outcome.output());
        assertFalse(outcome.output().contains("\tat "), "no stack trace for a plain HTTP error:\n" + outcome.output());
    }

    @Test
    void badConfigurationStopsStartUpWithOneLinePerVariable() throws Exception {
        Outcome outcome = run(Map.of("CONNECTOR_RUN_AND_TERMINATE", "true",
                "CONNECTOR_IPSUM_TLP_LEVEL", "purple",
                "CONNECTOR_ID", "not-a-uuid",
                "CONNECTOR_IPSUM_DEFAULT_X_OPENCTI_SCORE", "150",
                "CONNECTOR_IPSUM_API_BASE_URL", "ftp//nowhere",
                "OPENCTI_TOKEN", SECRET));

        assertEquals(2, outcome.status(), outcome.output());
        List<String> problems = new ArrayList<>(outcome.output().lines()
                .filter(l -> l.contains("Invalid configuration") || l.contains("Missing configuration")).toList());
        assertEquals(4, problems.size(), outcome.output());
        for (String variable : List.of("CONNECTOR_IPSUM_TLP_LEVEL", "CONNECTOR_ID",
                "CONNECTOR_IPSUM_DEFAULT_X_OPENCTI_SCORE", "CONNECTOR_IPSUM_API_BASE_URL")) {
            assertEquals(1, problems.stream().filter(l -> l.contains(variable + " ")).count(), variable);
        }
        assertFalse(outcome.output().contains("\tat "), "no stack trace:\n" + outcome.output());
        assertFalse(outcome.output().contains(SECRET), outcome.output());
        assertEquals(List.of(), bundles());
        assertEquals(0, server.requests().size(), "nothing runs with a bad configuration");
    }

    @Test
    void aBrokerKeyThePassphraseDoesNotOpenStopsStartUpNamingTheSetting() throws Exception {
        TestPki.Issued ca = TestPki.ca("broker CA");
        TestPki.Issued client = TestPki.client(ca, "cti-feeds");
        Path key = Files.writeString(data.resolve("client.key"),
                TestPki.encryptedPkcs8(client.keys().getPrivate(), "right-" + SECRET));
        Outcome outcome = run(Map.of("CONNECTOR_RUN_AND_TERMINATE", "true",
                "MQ_USE_SSL_CERT", TestPki.certificates(data.resolve("client.pem"), client.certificate()).toString(),
                "MQ_USE_SSL_KEY", key.toString(),
                "MQ_USE_SSL_PASSPHRASE", "wrong-" + SECRET));

        assertEquals(2, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("Invalid configuration: MQ_USE_SSL_PASSPHRASE (mq.use-ssl-passphrase) = "
                + "(secret, not shown): does not decrypt the key in MQ_USE_SSL_KEY"), outcome.output());
        assertFalse(outcome.output().contains("\tat "), "no stack trace:\n" + outcome.output());
        assertFalse(outcome.output().contains(SECRET), outcome.output());
        assertEquals(0, server.requests().size(), "nothing runs with a bad configuration");
    }

    @Test
    void bothFeedsRunOnceWithTheCrowdSecKeyFromTheEnvironmentAndNeverLogIt() throws Exception {
        try (CtiApiServer cti = new CtiApiServer(SECRET)) {
            cti.serve(CtiApiServer.fixtureItems());
            Outcome outcome = run(Map.of("CONNECTOR_RUN_AND_TERMINATE", "true", "CONNECTOR_LOG_LEVEL", "debug",
                    "CROWDSEC_KEY", SECRET, "CROWDSEC_API_BASE_URL", cti.url(),
                    "CROWDSEC_IMPORT_QUERY", "behaviors.label:\"HTTP Scan\"",
                    "CROWDSEC_ENRICHMENT_THRESHOLD_PER_IMPORT", "4"));

            assertEquals(0, outcome.status(), outcome.output());
            assertTrue(outcome.output().contains("crowdsec-import run crowdsec-import-"), outcome.output());
            assertTrue(outcome.output().contains("ipsum run ipsum-"), outcome.output());
            assertEquals("behaviors.label:\"HTTP Scan\"", cti.searches().get(0).query().get("query"));
            assertEquals(SECRET, cti.searches().get(0).header("x-api-key"));
            assertTrue(outcome.output().contains("fetched=4"), outcome.output());
            assertFalse(outcome.output().contains(SECRET), "the CrowdSec key leaked into the log:\n" + outcome.output());
        }
    }

    @Test
    void theCrowdSecImportSwitchedOnWithoutAKeyStopsStartUp() throws Exception {
        Outcome outcome = run(Map.of("CONNECTOR_RUN_AND_TERMINATE", "true", "CROWDSEC_IMPORT_ENABLED", "true"));

        assertEquals(2, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("Missing configuration: CROWDSEC_KEY (crowdsec.key)"), outcome.output());
        assertFalse(outcome.output().contains("\tat "), outcome.output());
    }

    @Test
    void withEveryFeedOffRunAndTerminateExitsAtOnce() throws Exception {
        Outcome outcome = run(Map.of("CONNECTOR_RUN_AND_TERMINATE", "true", "CONNECTOR_IPSUM_ENABLED", "false"));

        assertEquals(0, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("no feed is enabled"), outcome.output());
        assertEquals(0, server.requests().size());
    }

    @Test
    void aFeedWhoseStateCannotBeReadExitsOneWithTheFileToMoveAway() throws Exception {
        Path snapshot = Files.createDirectories(data.resolve("state")).resolve("ipsum.snapshot.tsv");
        Files.writeString(snapshot, "1.2.3.4\tnot a score\n");
        Outcome outcome = run(Map.of("CONNECTOR_RUN_AND_TERMINATE", "true"));

        assertEquals(1, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("ipsum: run not started: cannot read the snapshot of feed ipsum"),
                outcome.output());
        assertTrue(outcome.output().contains("move ipsum.snapshot.tsv and ipsum.journal.tsv away"), outcome.output());
        assertFalse(outcome.output().contains("\tat "), "one line, no stack trace:\n" + outcome.output());
        assertEquals(0, server.requests().size(), "nothing fetched without a state to compare with");
    }

    @Test
    void aRunSkippedForAFullOpenCtiQueueStillEndsRunAndTerminate() throws Exception {
        try (FakeOpenCti platform = FakeOpenCti.start()) {
            platform.setQueueMessagesSize(50L << 20);
            Outcome outcome = run(Map.of("CONNECTOR_RUN_AND_TERMINATE", "true", "OPENCTI_URL", platform.url(),
                    "OPENCTI_TOKEN", platform.token(), "CONNECTOR_ID", java.util.UUID.randomUUID().toString(),
                    "CONNECTOR_QUEUE_THRESHOLD", "1"));

            assertEquals(0, outcome.status(), "skipped, not failed:\n" + outcome.output());
            assertTrue(outcome.output().contains("ipsum: run skipped"), outcome.output());
            assertTrue(outcome.output().contains("run-and-terminate: all feeds ran"), outcome.output());
            assertEquals(0, server.requests().size(), "the feed is not fetched");
        }
    }

    @Test
    void anUnreachableDatabaseStopsStartUpNamingTheSettingsButNotThePassword() throws Exception {
        Outcome outcome = run(Map.of("CONNECTOR_STATE_STORE", "postgresql",
                "CONNECTOR_POSTGRESQL_URL", "jdbc:postgresql://127.0.0.1:1/cti?password=" + SECRET,
                "CONNECTOR_POSTGRESQL_PASSWORD", SECRET));

        assertEquals(1, outcome.status(), outcome.output());
        assertTrue(outcome.output().contains("could not start: cannot use the PostgreSQL database "
                + "jdbc:postgresql://127.0.0.1:1/cti as cti_feeds (CONNECTOR_POSTGRESQL_URL, _USER, _PASSWORD): "
                + "Connection refused"), outcome.output());
        assertFalse(outcome.output().contains(SECRET), "the password leaked:\n" + outcome.output());
        assertFalse(outcome.output().contains("\tat "), outcome.output());
    }

    @Test
    void aLongRunLogsItsProgress() throws Exception {
        try (CtiApiServer cti = new CtiApiServer(SECRET)) {
            cti.serve(CtiApiServer.fixtureItems());
            // 23 IPs looked up at 5 a second: a run of about 5 s, with a progress line each second
            Outcome outcome = run(Map.of("CONNECTOR_RUN_AND_TERMINATE", "true", "CROWDSEC_KEY", SECRET,
                    "CROWDSEC_API_BASE_URL", cti.url(), "CROWDSEC_IMPORT_ENABLED", "false",
                    "CROWDSEC_ENRICHMENT_ENABLED", "true", "CROWDSEC_ENRICHMENT_RATE_PER_SECOND", "5",
                    "CONNECTOR_PROGRESS_PERIOD_MS", "1000"));

            assertEquals(0, outcome.status(), outcome.output());
            java.util.regex.Matcher progress = java.util.regex.Pattern
                    .compile("ipsum run ipsum-\\S+ in progress for (\\d+) s:.* fetched=23 .*looked_up=(\\d+)")
                    .matcher(outcome.output());
            List<Integer> lookedUp = new ArrayList<>();
            while (progress.find()) {
                lookedUp.add(Integer.parseInt(progress.group(2)));
            }
            assertTrue(lookedUp.size() >= 2, "a line a second:\n" + outcome.output());
            assertTrue(lookedUp.get(lookedUp.size() - 1) > lookedUp.get(0), "moving: " + lookedUp);
            assertTrue(outcome.output().contains("looked_up=23"), "then the summary:\n" + outcome.output());
        }
    }
}
