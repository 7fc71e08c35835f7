package io.ctifeeds.crowdsec.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.ctifeeds.crowdsec.api.CtiFixtures;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.CtiApiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search that never ends: a next link on every page, but pages with no usable item, or a next link back to a
 * page already fetched, or short pages forever. Each run must stop paging, deliver what it took, and end short
 * (its window is searched again by the next run) with a line that says why.
 */
// paging without a bound never ends: fail such a run instead of hanging the build
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class CrowdSecPagingBoundsTest {

    @TempDir
    Path data;
    @RegisterExtension
    final ImportUnderTest crowdsec = new ImportUnderTest();
    private final CtiApiServer api = crowdsec.api();

    private FeedRun run(Map<String, String> overrides) throws Exception {
        return crowdsec.start(data, overrides).run(ImportUnderTest.FEED);
    }

    /** A page with these items and a next link to the following page, whatever the page. */
    private static ObjectNode page(String nextHref, List<? extends com.fasterxml.jackson.databind.JsonNode> items) {
        ObjectNode page = CtiFixtures.JSON.createObjectNode();
        page.putObject("_links").putObject("next").put("href", nextHref);
        page.putArray("items").addAll(items);
        return page;
    }

    private static String pageUrl(String self, int page) {
        return self.replaceAll("([?&])page=\\d+", "$1page=" + page);
    }

    @Test
    void emptyPagesWithANextLinkStopThePaging() throws Exception {
        api.searchPages((self, n) -> page(pageUrl(self, n + 1), List.of()));
        FeedRun run = run(Map.of());

        assertEquals(1, api.searches().size());
        assertFalse(run.failed(), run.failure());
        assertFalse(run.succeeded(), "the window was not covered: the next run searches it again");
        assertTrue(run.shortfall().contains("page 1 had no usable item"), run.shortfall());
    }

    @Test
    void pagesOfInvalidItemsStopThePagingAfterTheFirst() throws Exception {
        api.serve(1_000_000, i -> TextNode.valueOf("not an item " + i), ip -> null);
        FeedRun run = run(Map.of());

        assertEquals(1, api.searches().size());
        assertEquals(3, run.count(Counter.REJECTED));
        assertTrue(run.shortfall().contains("page 1 had no usable item"), run.shortfall());
    }

    @Test
    void aNextLinkToAPageAlreadyFetchedIsNotFollowed() throws Exception {
        List<ObjectNode> items = CtiApiServer.fixtureItems();
        // the first request carries no page parameter: the second is page=1 spelled out, which links to itself
        api.searchPages((self, n) -> page(self, List.of(items.get(0))));
        FeedRun run = run(Map.of());

        assertEquals(2, api.searches().size());
        assertEquals(1, run.count(Counter.NEW), "what the pages held is delivered");
        assertTrue(run.shortfall().contains("already fetched"), run.shortfall());
    }

    @Test
    void shortPagesForeverStopAtThePageCountTheThresholdNeeds() throws Exception {
        List<ObjectNode> items = CtiApiServer.fixtureItems();
        // one new IP a page where 5 were asked for: 10 IPs take 2 full pages, so 2 pages are all a run fetches
        api.searchPages((self, n) -> {
            ObjectNode item = items.get(0).deepCopy();
            item.put("ip", "198.51.100." + n);
            return page(pageUrl(self, n + 1), List.of(item));
        });
        FeedRun run = run(Map.of("crowdsec.import-page-size", "5", "crowdsec.enrichment-threshold-per-import", "10"));

        assertEquals(2, api.searches().size());
        assertEquals(2, run.count(Counter.NEW));
        assertTrue(run.shortfall().contains("2 pages"), run.shortfall());
    }
}
