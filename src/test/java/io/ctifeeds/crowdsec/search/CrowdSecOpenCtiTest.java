package io.ctifeeds.crowdsec.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.ConnectedPlatform;
import io.ctifeeds.testing.CtiApiServer;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.PushQueue;
import io.ctifeeds.testing.PyctiIds;
import io.ctifeeds.testing.TestApp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CrowdSec import delivering to OpenCTI: the fake platform (every operation validated against the real
 * schema) and the real RabbitMQ. What the official connector gets wrong on the platform's side: labels without
 * their colours, the same shared entities upserted for every IP, the observable twice, one GraphQL read per IP.
 */
class CrowdSecOpenCtiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    @RegisterExtension
    final ConnectedPlatform connected = new ConnectedPlatform();
    @RegisterExtension
    final ImportUnderTest crowdsec = new ImportUnderTest();
    private final CtiApiServer api = crowdsec.api();
    private FakeOpenCti platform;
    private TestApp app;
    private PushQueue queue;
    private Channel channel;

    @BeforeEach
    void setUp() throws Exception {
        platform = connected.platform();
        queue = connected.queue();
        channel = queue.channel();
    }

    private TestApp start(Map<String, String> extra) throws Exception {
        app = connected.start(data, crowdsec.settings(), extra);
        return app;
    }

    /** The one object of every message in the queue, in order. */
    private List<JsonNode> drain() throws Exception {
        List<JsonNode> objects = new ArrayList<>();
        GetResponse r;
        while ((r = channel.basicGet(queue.name(), true)) != null) {
            JsonNode bundle = PushQueue.bundle(r.getBody());
            assertEquals(1, bundle.get("objects").size());
            objects.add(bundle.get("objects").get(0));
        }
        return objects;
    }

    @Test
    void eachSharedObjectReachesThePlatformOncePerRunAndLabelsKeepTheirColours() throws Exception {
        FeedRun run = start(Map.of()).run("crowdsec-import");

        assertFalse(run.failed(), run.failure());
        assertEquals(2, run.count(Counter.BUNDLES), "two pages, two bundles");
        List<JsonNode> objects = drain();
        assertEquals(run.count(Counter.MESSAGES), objects.size());
        List<String> ids = objects.stream().map(o -> o.get("id").asText()).toList();
        assertEquals(new HashSet<>(ids).size(), ids.size(), "no object twice in the run, author and marking included");
        assertTrue(ids.contains(PyctiIds.CROWDSEC));
        assertTrue(ids.contains(PyctiIds.UNITED_STATES));
        for (JsonNode item : CtiApiServer.fixtureItems()) {
            String ip = item.get("ip").asText();
            assertTrue(ids.contains(PyctiIds.observable(ip)), ip);
        }

        // labels: created with their colours before the bundles, once each per run
        Map<String, String> labels = platform.labels();
        assertEquals("#FF0000", labels.get("malicious"));
        assertEquals("#FFA500", labels.get("suspicious"));
        assertEquals("#808080", labels.get("known"));
        assertEquals("#000080", labels.get("t1110"));
        assertEquals("#800080", labels.get("cve-2024-6387"));
        assertEquals("#2E2A14", labels.get("crowdsecurity/ssh-bf"));
        List<FakeOpenCti.Call> labelAdds = platform.calls("labelAdd");
        Set<String> values = new HashSet<>();
        labelAdds.forEach(c -> assertTrue(values.add(c.variables().path("input").path("value").asText().toLowerCase()),
                "labelAdd once per label: " + c.variables()));
        assertEquals(labels.size(), labelAdds.size());
        assertEquals(List.of(), platform.validationFailures());
        // no per-IP read: at most one observable lookup per page
        assertTrue(platform.calls("stixCyberObservables").size() <= 2);
    }

    @Test
    void aRunSendsEachDistinctObjectOnceAndNothingElse() throws Exception {
        FeedRun run = start(Map.of("crowdsec.import-page-size", "2")).run("crowdsec-import");

        assertFalse(run.failed(), run.failure());
        assertEquals(3, run.count(Counter.BUNDLES));
        // what the five IPs map to, each distinct object once, plus the author and the marking: pycti's ids
        // (fixtures/crowdsec/README.md says how they were computed)
        Set<String> expected = new HashSet<>();
        Fixtures.lines("crowdsec/smoke_search_ids_opencti6.txt").stream().filter(l -> !l.startsWith("#"))
                .forEach(expected::add);
        assertEquals(143, expected.size());
        List<JsonNode> objects = drain();
        assertEquals(expected.size(), objects.size());
        assertEquals(expected, new HashSet<>(objects.stream().map(o -> o.get("id").asText()).toList()));
        assertEquals(objects.size(), run.count(Counter.MESSAGES));
    }

    @Test
    void maxTlpLeavesAnObservableMarkedAboveItAlone() throws Exception {
        platform.addObservable("192.0.2.10", "TLP:RED");
        platform.addObservable("198.51.100.77", "TLP:GREEN");
        FeedRun run = start(Map.of()).run("crowdsec-import");

        assertFalse(run.failed(), run.failure());
        assertEquals(1, run.count(Counter.SKIPPED));
        Set<String> ids = new HashSet<>();
        drain().forEach(o -> ids.add(o.get("id").asText()));
        assertFalse(ids.contains(PyctiIds.observable("192.0.2.10")), "TLP:RED is above TLP:AMBER");
        assertTrue(ids.contains(PyctiIds.observable("198.51.100.77")));
        assertEquals(List.of(), platform.validationFailures());
        assertEquals(2, platform.calls("stixCyberObservables").size(), "one lookup per page");
        app.close();
        app = null;

        // max_tlp = red lets everything through and asks nothing
        int before = platform.calls("stixCyberObservables").size();
        start(Map.of("crowdsec.max-tlp", "TLP:RED", "connector.data-path", data.resolve("again").toString()))
                .run("crowdsec-import");
        drain().forEach(o -> ids.add(o.get("id").asText()));
        assertTrue(ids.contains(PyctiIds.observable("192.0.2.10")));
        assertEquals(before, platform.calls("stixCyberObservables").size());
    }
}
