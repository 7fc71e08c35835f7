package io.ctifeeds.deadletter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.LambdaRouteBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Letters that cannot be replayed (broken by hand, by a disk, by a bug) never hold up the others. */
class DeadLetterReplayTest {

    @TempDir
    Path folder;

    private void letter(String name, String json) throws Exception {
        Files.writeString(folder.resolve(name), json, StandardCharsets.UTF_8);
    }

    private static String bundle(String id) {
        return "{\"payload\": {\"type\": \"bundle\", \"id\": \"bundle--" + id + "\", \"objects\": []}}";
    }

    @Test
    void unreadableLettersStayWaitingUnderTheirNamesAndTheOthersAreDelivered() throws Exception {
        // written newest first: the replay's order must come from the names (the failure times), not the disk
        letter("20261201T120004000Z-ipsum-e.json", bundle("e"));
        letter("20261201T120003000Z-ipsum-d.json", "{\"feed\": \"ipsum\"}");
        letter("20261201T120002000Z-ipsum-c.json", "{\"payload\": {\"objects\": \"not a bundle\"}}");
        letter("20261201T120001000Z-ipsum-b.json", "{\"payload\": {\"type\": \"bun");
        letter("20261201T120000000Z-ipsum-a.json", bundle("a"));
        letter("20261201T115959000Z-ipsum-0.json", bundle("0"));
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        try (CamelContext context = new DefaultCamelContext()) {
            LambdaRouteBuilder sink = routes -> routes.from("direct:sink")
                    .process(e -> delivered.add(e.getMessage().getBody(String.class)));
            RouteBuilder.addRoutes(context, sink);
            context.start();
            DeadLetterStore store = new DeadLetterStore();
            store.setDirectory(folder.toString());
            DeadLetterReplay replay = new DeadLetterReplay(store);
            replay.setCamelContext(context);
            replay.setSinkUri("direct:sink");

            DeadLetterReplay.Pass pass = replay.replayAll();

            assertEquals(3, pass.delivered(), "the letters before and after the broken ones");
            assertEquals(3, pass.waiting());
            assertEquals(List.of("bundle--0", "bundle--a", "bundle--e"), delivered.stream()
                    .map(body -> body.replaceAll("(?s).*\"id\": ?\"(bundle--[^\"]+)\".*", "$1")).toList(),
                    "exactly the good letters, oldest first, each once");
            assertEquals(List.of("20261201T120001000Z-ipsum-b.json", "20261201T120002000Z-ipsum-c.json",
                    "20261201T120003000Z-ipsum-d.json"),
                    store.waiting().stream().map(p -> p.getFileName().toString()).toList(),
                    "kept under their own names, counted as waiting");
            assertEquals(0, replay.replayAll().delivered(), "nothing delivered twice");
        }
    }
    @Test
    void aDashedReplicaIdKeepsEachLetterItsNameAndPlaceOverManyFailedPasses() throws Exception {
        // a Kubernetes pod name, the default replica id: the claim name holds it, and must give the letter back
        String replica = "ctifeeds-7d9f8b6c5-x2x9q";
        Path own = Files.createDirectories(folder.resolve(replica));
        Files.writeString(own.resolve("20261201T120000000Z-ipsum-20261201T115959Z-1a2b3c4d-0a0b0c0d.json"),
                bundle("first"), StandardCharsets.UTF_8);
        Files.writeString(own.resolve("20261201T120001000Z-ipsum-20261201T115959Z-1a2b3c4d-0e0f0a0b.json"),
                bundle("second"), StandardCharsets.UTF_8);
        List<String> names = List.of("20261201T120000000Z-ipsum-20261201T115959Z-1a2b3c4d-0a0b0c0d.json",
                "20261201T120001000Z-ipsum-20261201T115959Z-1a2b3c4d-0e0f0a0b.json");
        java.util.concurrent.atomic.AtomicBoolean platformDown = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        try (CamelContext context = new DefaultCamelContext()) {
            LambdaRouteBuilder sink = routes -> routes.from("direct:sink").process(e -> {
                if (platformDown.get()) {
                    throw new java.io.IOException("Connection refused");
                }
                delivered.add(e.getMessage().getBody(String.class));
            });
            RouteBuilder.addRoutes(context, sink);
            context.start();
            DeadLetterStore store = new DeadLetterStore();
            store.setDirectory(folder.toString());
            store.setReplicaId(replica);
            DeadLetterReplay replay = new DeadLetterReplay(store);
            replay.setCamelContext(context);
            replay.setSinkUri("direct:sink");

            for (int pass = 1; pass <= 120; pass++) {
                DeadLetterReplay.Pass result = replay.replayAll();
                assertEquals(0, result.delivered());
                assertEquals("Connection refused", result.stoppedBy(), "pass " + pass);
                assertEquals(names, store.waiting().stream().map(p -> p.getFileName().toString()).toList(),
                        "after failed pass " + pass + ", the letters keep their names, oldest first");
            }
            platformDown.set(false);
            assertEquals(2, replay.replayAll().delivered());
        }
        assertEquals(2, delivered.size());
        assertTrue(delivered.get(0).contains("bundle--first") && delivered.get(1).contains("bundle--second"),
                "oldest first: " + delivered);
    }
}
