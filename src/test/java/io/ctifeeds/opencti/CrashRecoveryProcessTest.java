package io.ctifeeds.opencti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.Http;
import io.ctifeeds.testing.PushQueue;
import io.ctifeeds.testing.PyctiIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a run, then a restart: every IP of the feed still reaches the broker, because
 * the snapshot only advances once every message of a run is confirmed.
 */
class CrashRecoveryProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private Process start(FeedServer feed, FakeOpenCti platform, String connectorId) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.ctifeeds.CtiFeedsApplication");
        pb.environment().keySet().removeIf(k -> k.startsWith("CONNECTOR_") || k.startsWith("OPENCTI_")
                || k.startsWith("CAMEL_") || k.startsWith("MQ_"));
        pb.environment().put("CONNECTOR_RUN_AND_TERMINATE", "true");
        pb.environment().put("CONNECTOR_DATA_PATH", data.toString());
        // its HTTP server on a port of its own, not the 8080 another build may hold
        pb.environment().put("CAMEL_SERVER_PORT", Integer.toString(Http.freePort()));
        pb.environment().put("CONNECTOR_IPSUM_API_BASE_URL", feed.url("/levels/1.txt"));
        pb.environment().put("OPENCTI_URL", platform.url());
        pb.environment().put("OPENCTI_TOKEN", platform.token());
        pb.environment().put("CONNECTOR_ID", connectorId);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("process.log").toFile()));
        return pb.start();
    }

    @Test
    void aRunKilledMidwayIsCompletedByTheNextOne() throws Exception {
        String connectorId = UUID.randomUUID().toString();
        // 40,000 IPs: long enough to be killed midway, short enough for the suite
        List<String> ips = Fixtures.lines("ipsum/levels_1.txt").subList(0, 40_000);
        try (FeedServer feed = new FeedServer(); FakeOpenCti platform = FakeOpenCti.start();
             PushQueue push = new PushQueue(connectorId)) {
            Channel channel = push.channel();
            String queue = push.name();
            feed.serveLines(ips);
            Process first = start(feed, platform, connectorId);
            long deadline = System.currentTimeMillis() + 60_000;
            while (channel.messageCount(queue) < 5_000 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(first.isAlive(), "the run ended before it could be killed:\n"
                    + Files.readString(data.resolve("process.log")));
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            first.waitFor(10, TimeUnit.SECONDS);
            long afterKill = channel.messageCount(queue);
            assertTrue(afterKill < (long) ips.size() * 3, "killed mid-run: " + afterKill);

            Process second = start(feed, platform, connectorId);
            assertTrue(second.waitFor(180, TimeUnit.SECONDS), Files.readString(data.resolve("process.log")));
            assertEquals(0, second.exitValue(), Files.readString(data.resolve("process.log")));

            Set<String> indicators = new HashSet<>();
            long total = channel.messageCount(queue);
            GetResponse r;
            for (long i = 0; i < total && (r = channel.basicGet(queue, true)) != null; i++) {
                var object = PushQueue.bundle(r.getBody()).get("objects").get(0);
                if (object.get("type").asText().equals("indicator")) {
                    indicators.add(object.get("id").asText());
                }
            }
            int missing = 0;
            for (String ip : ips) {
                if (!indicators.contains(PyctiIds.indicator(ip))) {
                    missing++;
                }
            }
            assertEquals(0, missing, "indicators never delivered");
        }
    }
}
