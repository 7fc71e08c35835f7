package io.ctifeeds.crowdsec.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.CtiApiServer.Reply;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.TestApp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke/search page past CROWDSEC_PAGE_MAX_BYTES, on the wire or once decoded, ends the run with one line naming
 * the setting, after one request, and keeps the pages before it delivered.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrowdSecAnswerBoundsTest {

    @TempDir
    Path data;
    @RegisterExtension
    final ImportUnderTest crowdsec = new ImportUnderTest();
    private TestApp app;

    @BeforeEach
    void setUp() throws Exception {
        app = crowdsec.start(data, Map.of("crowdsec.page-max-bytes", "65536"));
    }

    private void assertRefusedAfterPageOne(FeedRun run, String limit) {
        assertTrue(run.failed());
        assertTrue(run.failure().contains(limit), run.failure());
        assertEquals(2, crowdsec.api().searches().size(), "page 1, then the refused page 2, not retried");
        assertEquals(3, run.count(Counter.NEW), "page 1 is delivered");
    }

    @Test
    void aPageLargerThanTheBoundIsRefused() throws Exception {
        crowdsec.api().afterRequests(1, new Reply.Status(200, "{\"items\": [], \"pad\": \"" + "x".repeat(1 << 20) + "\"}"));
        FeedRun run = app.run("crowdsec-import");

        assertRefusedAfterPageOne(run, "more than 65536 bytes on the wire (CROWDSEC_PAGE_MAX_BYTES)");
    }

    @Test
    void aPageThatDecodesPastTheBoundIsRefused() throws Exception {
        crowdsec.api().afterRequests(1, new Reply.Gzip(FeedServer.gzip("[", 50_000_000)));
        FeedRun run = app.run("crowdsec-import");

        assertRefusedAfterPageOne(run, "more than 65536 bytes once decoded from gzip (CROWDSEC_PAGE_MAX_BYTES)");
    }
}
