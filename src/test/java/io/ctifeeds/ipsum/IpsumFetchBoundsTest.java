package io.ctifeeds.ipsum;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.FeedServer.Reply;
import io.ctifeeds.testing.TestApp;
import io.ctifeeds.testing.TestApps;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile or broken feed server must not exhaust memory, disk or time: a body past the byte bound, a gzip bomb,
 * a download far larger than the last good one, a line without end, a server that trickles. Each fails the run
 * with one line naming the limit's setting, after one request (no retry), with nothing delisted and no file left
 * behind (neither a partial download nor Camel's spooled copy).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IpsumFetchBoundsTest {

    private static final String GOOD = "1.1.1.1\t3\n8.8.8.8\t5\n9.9.9.9\t2\n";

    @TempDir
    Path data;
    @TempDir
    Path spool;
    @RegisterExtension
    final FeedServer server = FeedServer.create();
    @RegisterExtension
    final TestApps apps = new TestApps();
    private TestApp app;

    @BeforeEach
    void setUp() {
        server.validators(false);
    }

    private TestApp start(Map<String, String> overrides) throws Exception {
        app = apps.start(data, overrides, Map.of("connector.ipsum.api-base-url", server.url("/ipsum.txt"),
                "camel.main.stream-caching-spool-directory", spool.toString()));
        return app;
    }

    /** A good run first: its snapshot and download must survive the refused one untouched. */
    private byte[] goodRun() throws Exception {
        server.serve(GOOD);
        FeedRun good = app.run("ipsum");
        assertFalse(good.failed(), good.failure());
        return Files.readAllBytes(download());
    }

    private Path download() {
        return data.resolve("downloads").resolve("ipsum.download");
    }

    private void assertRefusedCleanly(FeedRun run, byte[] before, String setting) throws IOException {
        assertTrue(run.failed());
        assertTrue(run.failure().contains(setting), run.failure());
        assertEquals(0, run.count(Counter.DELISTED));
        assertEquals(2, server.requests().size(), "the good run's request and one refused, never retried");
        assertArrayEquals(before, Files.readAllBytes(download()), "the last good download stays");
        try (Stream<Path> left = Stream.concat(Files.walk(spool), Files.walk(data.resolve("downloads")))) {
            List<Path> files = left.filter(Files::isRegularFile).filter(p -> !p.equals(download())).toList();
            assertEquals(List.of(), files, "no temporary file is left behind");
        }
        // the next run with a good answer delists nothing either: the snapshot was kept
        server.serve(GOOD + "#\n");
        FeedRun next = app.run("ipsum");
        assertFalse(next.failed(), next.failure());
        assertEquals(0, next.count(Counter.DELISTED));
    }

    @Test
    void aBodyPastTheByteBoundIsRefusedAndNotReadToItsEnd() throws Exception {
        start(Map.of("connector.fetch-max-bytes", "1048576", "connector.fetch-max-growth", "0"));
        byte[] before = goodRun();
        server.thenReply(new Reply.Endless(64L << 20, "203.0.113.7\t1\n"));
        FeedRun run = app.run("ipsum");

        assertTrue(run.failure().contains("more than 1048576 bytes on the wire (CONNECTOR_FETCH_MAX_BYTES)"),
                run.failure());
        assertTrue(server.bodyBytesSent() < (32L << 20), "the rest was not read: " + server.bodyBytesSent());
        assertRefusedCleanly(run, before, "CONNECTOR_FETCH_MAX_BYTES");
    }

    @Test
    void aGzipBombIsRefusedOnceItsDecodedSizePassesTheBound() throws Exception {
        start(Map.of("connector.fetch-max-bytes", "1048576", "connector.fetch-max-growth", "0"));
        byte[] before = goodRun();
        // 100 MB of one line once decoded, about 100 KB on the wire
        server.thenReply(new Reply.Gzip(FeedServer.gzip("203.0.113.7\t1\n", 100_000_000L / 14)));
        FeedRun run = app.run("ipsum");

        assertTrue(run.failure().contains("bytes once decoded from gzip (CONNECTOR_FETCH_MAX_BYTES)"),
                run.failure());
        assertRefusedCleanly(run, before, "CONNECTOR_FETCH_MAX_BYTES");
    }

    @Test
    void aGzipAnswerWithinTheBoundsIsDecoded() throws Exception {
        server.serve(GOOD);
        start(Map.of());
        server.thenReply(new Reply.Gzip(FeedServer.gzip(GOOD, 1)));
        FeedRun run = app.run("ipsum");

        assertFalse(run.failed(), run.failure());
        assertEquals(3, run.count(Counter.NEW));
        assertEquals("gzip, deflate", server.lastHeader("Accept-Encoding"));
    }

    @Test
    void aDownloadFarLargerThanTheLastGoodOneIsRefused() throws Exception {
        start(Map.of());
        byte[] before = goodRun();
        // default connector.fetch-max-growth=10: over 10 times the last good download, and over the 1 MiB floor
        // under which a small list may grow freely, is too much
        server.serve(GOOD.repeat(40_000));
        FeedRun run = app.run("ipsum");

        assertTrue(run.failure().contains("CONNECTOR_FETCH_MAX_GROWTH times the last good download"),
                run.failure());
        assertEquals(null, server.lastHeader("Cti-Feeds-Max-Bytes"), "the connector's own header never goes out");
        server.serve(GOOD);
        assertRefusedCleanly(run, before, "CONNECTOR_FETCH_MAX_GROWTH");
    }

    @Test
    void aLineLongerThanTheBoundIsRefusedBeforeItIsHeldInMemory() throws Exception {
        start(Map.of("connector.fetch-max-growth", "0"));
        byte[] before = goodRun();
        server.serve(GOOD + "9".repeat(20_000) + "\n");
        FeedRun run = app.run("ipsum");

        assertTrue(run.failure().contains("a line longer than 16384 bytes (CONNECTOR_FETCH_MAX_LINE_LENGTH)"),
                run.failure());
        server.serve(GOOD);
        assertRefusedCleanly(run, before, "CONNECTOR_FETCH_MAX_LINE_LENGTH");
    }

    @Test
    void aServerThatTricklesIsCutAtTheDeadline() throws Exception {
        start(Map.of("connector.fetch-deadline-ms", "2000"));
        byte[] before = goodRun();
        // one byte every 500 ms: each read comes well within the socket timeout, the whole never does
        server.thenReply(new Reply.Trickle(500));
        FeedRun run = app.run("ipsum");

        assertTrue(run.failure().contains("not complete after 2 s (CONNECTOR_FETCH_DEADLINE_MS)"), run.failure());
        assertTrue(server.bodyBytesSent() < GOOD.length(), "cut before the end: " + server.bodyBytesSent());
        assertRefusedCleanly(run, before, "CONNECTOR_FETCH_DEADLINE_MS");
    }
}
