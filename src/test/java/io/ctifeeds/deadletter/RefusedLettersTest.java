package io.ctifeeds.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.ctifeeds.testing.ConnectedPlatform;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.TestApp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A letter the platform refuses for good (not an outage) goes to the rejected/ folder, named in a WARN line, and
 * the replay goes on with the letters behind it; an outage still pauses the replay and keeps every letter.
 */
class RefusedLettersTest {

    /** What Apollo answers (HTTP 400) to an operation the platform's schema refuses. */
    private static final String VALIDATION_FAILED = "{\"errors\": [{\"message\": \"Unknown argument \\\"work_id\\\" "
            + "on field \\\"Mutation.stixBundlePush\\\".\", \"extensions\": {\"code\": \"GRAPHQL_VALIDATION_FAILED\"}}]}";

    @TempDir
    Path data;
    @RegisterExtension
    final ConnectedPlatform connected = new ConnectedPlatform();
    private FakeOpenCti platform;
    private TestApp app;

    @BeforeEach
    void setUp() throws Exception {
        platform = connected.platform();
    }


    private static String letter(String id) {
        return "{\"feed\": \"ipsum\", \"exception\": \"java.io.IOException: down\", \"payload\": {\"type\": \"bundle\","
                + " \"id\": \"bundle--" + id + "\", \"objects\": [{\"type\": \"ipv4-addr\", \"spec_version\": \"2.1\","
                + " \"id\": \"ipv4-addr--" + id + "\", \"value\": \"203.0.113.7\"}]}}";
    }

    private Path write(String name, String id) throws Exception {
        Path folder = Files.createDirectories(data.resolve("dead-letter"));
        return Files.writeString(folder.resolve(name), letter(id), StandardCharsets.UTF_8);
    }

    private void startAndRegister() throws Exception {
        app = connected.start(data, Map.of("connector.queue-protocol", "api"));
        connected.awaitFirstPing(Duration.ofSeconds(30));
    }

    private void replay() {
        app.context().createProducerTemplate().sendBody("direct:dead-letter-replay", null);
    }

    private List<String> pushedIds() {
        return platform.bundles().stream().map(b -> b.json().get("id").asText()).toList();
    }

    @Test
    void aLetterRefusedForGoodIsSetAsideAndTheOthersAreDelivered() throws Exception {
        startAndRegister();
        String refused = "20261201T120000000Z-ipsum-20261201T115959Z-0a0b0c0d-00000001.json";
        write(refused, "00000000-0000-4000-8000-000000000001");
        write("20261201T120001000Z-ipsum-20261201T115959Z-0a0b0c0d-00000002.json", "00000000-0000-4000-8000-000000000002");
        write("20261201T120002000Z-ipsum-20261201T115959Z-0a0b0c0d-00000003.json", "00000000-0000-4000-8000-000000000003");
        platform.failNext(400, VALIDATION_FAILED);

        replay();

        assertEquals(List.of("bundle--00000000-0000-4000-8000-000000000002",
                "bundle--00000000-0000-4000-8000-000000000003"), pushedIds(), "the letters behind it are delivered");
        Path rejected = data.resolve("dead-letter").resolve("rejected").resolve(refused);
        assertTrue(Files.exists(rejected), "set aside in rejected/, under its own name");
        assertTrue(Files.readString(rejected).contains("bundle--00000000-0000-4000-8000-000000000001"));
        try (Stream<Path> left = Files.list(data.resolve("dead-letter"))) {
            assertEquals(List.of("rejected"), left.map(p -> p.getFileName().toString()).toList(),
                    "nothing else waits");
        }
        replay();
        assertEquals(2, platform.bundles().size(), "a rejected letter is not replayed again");
    }

    @Test
    void anOutageStillPausesTheReplayAndKeepsEveryLetter() throws Exception {
        startAndRegister();
        write("20261201T120000000Z-ipsum-20261201T115959Z-0a0b0c0d-00000001.json", "00000000-0000-4000-8000-000000000001");
        write("20261201T120001000Z-ipsum-20261201T115959Z-0a0b0c0d-00000002.json", "00000000-0000-4000-8000-000000000002");
        platform.failNext(502, "<html><body>Bad Gateway</body></html>");

        replay();

        assertEquals(List.of(), pushedIds());
        assertTrue(Files.notExists(data.resolve("dead-letter").resolve("rejected")), "an outage rejects nothing");
        replay();
        assertEquals(2, platform.bundles().size(), "delivered once the platform is back");
    }
}
