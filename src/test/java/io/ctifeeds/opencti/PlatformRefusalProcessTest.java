package io.ctifeeds.opencti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A refused token stops the application with one line that names the fix, and never prints the token. */
class PlatformRefusalProcessTest {

    @TempDir
    Path data;

    @Test
    void aWrongTokenStopsTheConnectorWithTheFix() throws Exception {
        String wrongToken = "00000000-dead-beef-0000-" + "123456789abc";
        try (FeedServer feed = new FeedServer(); FakeOpenCti platform = FakeOpenCti.start()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    "io.ctifeeds.CtiFeedsApplication");
            pb.environment().keySet().removeIf(k -> k.startsWith("CONNECTOR_") || k.startsWith("OPENCTI_")
                    || k.startsWith("CAMEL_") || k.startsWith("MQ_"));
            pb.environment().put("CONNECTOR_DATA_PATH", data.toString());
            // its HTTP server on a port of its own, not the 8080 another build may hold
            pb.environment().put("CAMEL_SERVER_PORT", Integer.toString(Http.freePort()));
            pb.environment().put("CONNECTOR_IPSUM_CRON", "0 0 0 1 1 ? 2099");
            pb.environment().put("CONNECTOR_IPSUM_API_BASE_URL", feed.url("/levels/8.txt"));
            pb.environment().put("OPENCTI_URL", platform.url());
            pb.environment().put("OPENCTI_TOKEN", wrongToken);
            pb.environment().put("CONNECTOR_ID", UUID.randomUUID().toString());
            pb.redirectErrorStream(true);
            Path log = data.resolve("process.log");
            pb.redirectOutput(log.toFile());
            Process process = pb.start();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the connector kept running:\n" + Files.readString(log));
            String output = Files.readString(log);

            assertEquals(2, process.exitValue(), output);
            assertTrue(output.lines().anyMatch(l -> l.contains("stopping:") && l.contains("check OPENCTI_TOKEN")),
                    output);
            assertFalse(output.contains(wrongToken), "the token leaked:\n" + output);
            assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
            assertEquals(0, feed.requests().size());
        }
    }
}
