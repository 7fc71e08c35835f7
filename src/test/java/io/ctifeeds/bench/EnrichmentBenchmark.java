package io.ctifeeds.bench;

import io.ctifeeds.crowdsec.enrich.CrowdSecEnrichment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.CtiApiServer;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.TestApp;

/**
 * Benchmark of the CrowdSec enrichment's throttle: an IPsum feed of 2,000 IPs, each looked up on a local CTI API
 * that answers 429 above 50 requests in any second, with the enrichment at 50 lookups per second. Prints the
 * achieved rate against the configured one (target: within 5 %) and the 429s (target: none). Run with
 * {@code bench/enrichment.sh}.
 */
public final class EnrichmentBenchmark {

    static final int IPS = Integer.getInteger("bench.ips", 2_000);
    static final int RATE = Integer.getInteger("bench.rate", 50);
    private static final String KEY = "bench-key";

    private EnrichmentBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        List<ObjectNode> templates = CtiApiServer.fixtureItems();
        StringBuilder feedText = new StringBuilder();
        for (int i = 0; i < IPS; i++) {
            feedText.append(ip(i)).append('\t').append(1 + i % 10).append('\n');
        }
        Path work = Files.createTempDirectory("cti-enrich-bench");
        boolean met;
        try (FeedServer feed = new FeedServer(); CtiApiServer api = new CtiApiServer(KEY)) {
            feed.serve(feedText.toString());
            api.serve(0, i -> null, ip -> {
                ObjectNode item = templates.get(Math.floorMod(ip.hashCode(), templates.size())).deepCopy();
                item.put("ip", ip);
                return item;
            });
            api.maxPerSecond(RATE);
            try (TestApp app = new TestApp(work, Map.of("connector.ipsum.api-base-url", feed.url("/ipsum.txt"),
                    "crowdsec.key", KEY, "crowdsec.api-base-url", api.url(), "crowdsec.import-enabled", "false",
                    "crowdsec.enrichment-enabled", "true", "crowdsec.enrichment-rate-per-second",
                    Integer.toString(RATE), "crowdsec.enrichment-daily-budget", "0",
                    "connector.log-level", "warn")).start()) {
                long start = System.nanoTime();
                FeedRun run = app.run("ipsum");
                double seconds = (System.nanoTime() - start) / 1e9;
                List<CtiApiServer.Request> lookups = api.requests().stream()
                        .filter(r -> !r.path().endsWith("/search")).toList();
                // -Dbench.gaps=true: the pairs of lookups one period apart that came closer than 1.03 s
                if (Boolean.getBoolean("bench.gaps")) {
                    for (int k = 0; k + RATE < lookups.size(); k++) {
                        long gap = (lookups.get(k + RATE).nanoTime() - lookups.get(k).nanoTime()) / 1_000_000;
                        if (gap < 1030 || lookups.get(k + RATE).status() != 200) {
                            System.out.println("k=" + k + " gap(k, k+rate)=" + gap + " ms, status " + lookups.get(k + RATE).status());
                        }
                    }
                }
                int lastBurstStart = (lookups.size() - 1) / RATE * RATE;
                double steady = lastBurstStart / ((lookups.get(lastBurstStart).nanoTime()
                        - lookups.get(0).nanoTime()) / 1e9);
                double deviation = (steady - RATE) / RATE;
                System.out.printf("%,d IPs, %,d lookups (%,d enriched) in %.1f s (whole run %.1f s): %.2f lookups/s "
                                + "against %d/s configured (%+.1f %%); 429s from the API's limiter: %d%n", IPS,
                        lookups.size(), run.count(CrowdSecEnrichment.ENRICHED), (lookups.get(lookups.size() - 1).nanoTime()
                                - lookups.get(0).nanoTime()) / 1e9, seconds, steady, RATE, deviation * 100,
                        api.throttledCount());
                met = !run.failed() && Math.abs(deviation) <= 0.05 && api.throttledCount() == 0
                        && run.count(CrowdSecEnrichment.ENRICHED) == IPS;
                System.out.println("within 5 % of the configured rate, no 429, every IP enriched: "
                        + (met ? "MET" : "MISSED"));
            }
        }
        System.exit(met ? 0 : 1);
    }

    static String ip(int i) {
        return String.format("11.%d.%d.%d", (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff);
    }
}
