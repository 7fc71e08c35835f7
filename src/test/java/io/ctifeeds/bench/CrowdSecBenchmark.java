package io.ctifeeds.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.CtiApiServer;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.PushQueue;
import io.ctifeeds.testing.TestApp;

/**
 * Benchmark of the CrowdSec import: 50,000 distinct IPs in fixture-shaped smoke/search pages (the five fixture
 * items as templates, each IP its own), served by a local CTI API, imported through the real routes into the
 * folder sink, then into this machine's RabbitMQ against a fake platform. Prints IPs/s, objects and messages per
 * IP, and a verdict per target: at least 2,000 IPs/s on our side (the folder run: fetch, parse, map, bundle, write),
 * at most 8 messages per IP (the RabbitMQ run; the official connector sends about 19.5 bundles per IP, and takes
 * 3.5 days for 50,000 IPs). Run with {@code bench/crowdsec.sh}.
 */
public final class CrowdSecBenchmark {

    static final int IPS = Integer.getInteger("bench.ips", 50_000);
    static final double MAX_MESSAGES_PER_IP = 8;
    static final double MIN_IPS_PER_SECOND = 2_000;
    private static final String KEY = "bench-key";

    private CrowdSecBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<ObjectNode> templates = CtiApiServer.fixtureItems();
        Path work = Files.createTempDirectory("cti-crowdsec-bench");
        boolean met = true;
        try (CtiApiServer api = new CtiApiServer(KEY); FakeOpenCti platform = FakeOpenCti.start()) {
            api.serve(IPS, i -> item(templates, i), ip -> null);
            System.out.println("warm-up: 5,000 IPs into a folder, not measured");
            run(api, null, work.resolve("warm-up"), 5_000);

            Measured folder = run(api, null, work.resolve("folder"), IPS);
            met &= report("folder sink", folder, false);
            Measured queue = run(api, platform, work.resolve("rabbitmq"), IPS);
            met &= report("RabbitMQ (pycti messages, confirms)", queue, true);
        }
        System.exit(met ? 0 : 1);
    }

    /** Template {@code i % 5} with an IP of its own: v4 from 11.0.0.0 on, v6 under 2001:db8:1::/48. */
    static JsonNode item(List<ObjectNode> templates, int i) {
        ObjectNode template = templates.get(i % templates.size());
        ObjectNode item = template.deepCopy();
        if (template.get("ip").asText().contains(":")) {
            item.put("ip", String.format("2001:db8:1::%x:%x", i >>> 16, i & 0xffff));
        } else {
            item.put("ip", String.format("11.%d.%d.%d", (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff));
        }
        return item;
    }

    record Measured(FeedRun run, int ips, double seconds, long peakHeap, long queued) {
    }

    private static Measured run(CtiApiServer api, FakeOpenCti platform, Path data, int ips)
            throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("connector.ipsum.enabled", "false",
                "crowdsec.key", KEY, "crowdsec.api-base-url", api.url(),
                "crowdsec.enrichment-threshold-per-import", Integer.toString(ips),
                "crowdsec.import-query-since", "24", "connector.log-level", "warn"));
        // e.g. -Dbench.set=crowdsec.import-page-size=1000,crowdsec.max-tlp=red to try other settings
        for (String pair : System.getProperty("bench.set", "").split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        if (platform == null) {
            try (TestApp app = new TestApp(data, settings).start()) {
                return measured(TimedRun.of(app, "crowdsec-import"), ips, -1);
            }
        }
        String connectorId = UUID.randomUUID().toString();
        settings.putAll(Map.of("opencti.url", platform.url(), "opencti.token", platform.token(),
                "connector.id", connectorId));
        try (PushQueue queue = new PushQueue(connectorId); TestApp app = new TestApp(data, settings).start()) {
            TimedRun timed = TimedRun.of(app, "crowdsec-import");
            return measured(timed, ips, queue.channel().messageCount(queue.name()));
        }
    }

    private static Measured measured(TimedRun timed, int ips, long queued) {
        if (timed.run().count(Counter.FETCHED) != ips) {
            throw new IllegalStateException("the run did not deliver everything: "
                    + timed.run().summary(java.time.Instant.now()));
        }
        return new Measured(timed.run(), ips, timed.seconds(), timed.peakHeap(), queued);
    }

    private static boolean report(String sink, Measured m, boolean messages) {
        FeedRun run = m.run();
        double rate = m.ips() / m.seconds();
        long objects = run.count(Counter.OBJECTS);
        System.out.printf("%s: %,d IPs in %d pages, %.2f s: %,.0f IPs/s; %,d objects in %,d bundles (%.2f per IP); "
                        + "peak heap %.0f MB of %.0f MB%n", sink, m.ips(), run.count(Counter.PAGES), m.seconds(), rate,
                objects, run.count(Counter.BUNDLES), objects / (double) m.ips(), m.peakHeap() / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0);
        if (!messages) {
            // our side: fetch, parse, map, bundle, write; no broker in the way
            boolean fast = rate >= MIN_IPS_PER_SECOND;
            System.out.printf("  IPs/s %,.0f (target >= %,.0f): %s%n", rate, MIN_IPS_PER_SECOND,
                    fast ? "MET" : "MISSED");
            return fast;
        }
        // into RabbitMQ the broker's persistent, confirmed writes set the pace: compare with bench/opencti.sh
        System.out.printf("  %,.0f messages/s published with confirms (bench/opencti.sh measures the broker's own "
                + "ceiling with RabbitMQ PerfTest)%n", run.count(Counter.MESSAGES) / m.seconds());
        double perIp = run.count(Counter.MESSAGES) / (double) m.ips();
        boolean few = perIp <= MAX_MESSAGES_PER_IP && m.queued() == run.count(Counter.MESSAGES);
        System.out.printf("  %,d messages, %,d in the queue: %.2f per IP (target <= %.0f; the official connector "
                + "about 19.5): %s%n", run.count(Counter.MESSAGES), m.queued(), perIp, MAX_MESSAGES_PER_IP,
                few ? "MET" : "MISSED");
        return few;
    }
}
