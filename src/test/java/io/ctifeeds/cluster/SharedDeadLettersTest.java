package io.ctifeeds.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.ctifeeds.deadletter.DeadLetterReplay;
import io.ctifeeds.deadletter.DeadLetterStore;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.LambdaRouteBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replicas sharing a dead-letter volume: each writes into its own folder, each replays every folder, and no letter
 * is delivered twice, however the replays overlap; a claim left by a replica that died is released.
 */
class SharedDeadLettersTest {

    @TempDir
    Path volume;

    private static void letter(Path folder, int n) throws Exception {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(String.format("20261201T1200%02d000Z-ipsum-run-%08d.json", n % 60, n)),
                "{\"feed\": \"ipsum\", \"payload\": {\"type\": \"bundle\", \"id\": \"bundle--" + n
                        + "\", \"objects\": []}}", StandardCharsets.UTF_8);
    }

    /** A replica: its store and replay, delivering into a list (slowly, so the two replays overlap). */
    private static CamelContext replica(String name, Path volume, List<String> delivered, DeadLetterReplay[] replay)
            throws Exception {
        CamelContext context = new DefaultCamelContext();
        // a lambda, not a RouteBuilder class: Camel Main's package scan would pick that up in other tests' JVMs
        LambdaRouteBuilder sink = routes -> routes.from("direct:sink").process(e -> {
            delivered.add(new String(e.getMessage().getBody(byte[].class), StandardCharsets.UTF_8));
            Thread.sleep(2);
        });
        RouteBuilder.addRoutes(context, sink);
        context.start();
        DeadLetterStore store = new DeadLetterStore();
        store.setDirectory(volume.toString());
        store.setReplicaId(name);
        replay[0] = new DeadLetterReplay(store);
        replay[0].setCamelContext(context);
        replay[0].setSinkUri("direct:sink");
        return context;
    }

    /** A replica's store on the shared volume. */
    private DeadLetterStore store(String replica) {
        DeadLetterStore store = new DeadLetterStore();
        store.setDirectory(volume.toString());
        store.setReplicaId(replica);
        return store;
    }

    @Test
    void everyReplicasLettersAreDeliveredOnceByWhicheverReplays() throws Exception {
        for (int i = 0; i < 60; i++) {
            letter(volume.resolve(i % 2 == 0 ? "replica-a" : "replica-b"), i);
        }
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        DeadLetterReplay[] a = new DeadLetterReplay[1];
        DeadLetterReplay[] b = new DeadLetterReplay[1];
        try (CamelContext ca = replica("replica-a", volume, delivered, a);
             CamelContext cb = replica("replica-b", volume, delivered, b)) {
            CompletableFuture<DeadLetterReplay.Pass> first = CompletableFuture.supplyAsync(a[0]::replayAll);
            CompletableFuture<DeadLetterReplay.Pass> second = CompletableFuture.supplyAsync(b[0]::replayAll);
            int total = first.get().delivered() + second.get().delivered();

            assertEquals(60, total);
            assertEquals(60, delivered.size());
            assertEquals(60, new HashSet<>(delivered).size(), "no letter delivered twice");
            try (var left = Files.walk(volume)) {
                assertEquals(0, left.filter(Files::isRegularFile).count(), "every delivered letter is gone");
            }
        }
    }

    @Test
    void listingTheVolumeWhileAnotherReplicaClaimsAndDeletesNeverFails() throws Exception {
        for (int i = 0; i < 400; i++) {
            letter(volume.resolve("replica-a"), i);
        }
        // written during an outage two hours ago: a claim must not look as old as its letter
        try (var letters = Files.list(volume.resolve("replica-a"))) {
            for (Path letter : letters.toList()) {
                Files.setLastModifiedTime(letter, FileTime.from(Instant.now().minusSeconds(7200)));
            }
        }
        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        DeadLetterReplay[] a = new DeadLetterReplay[1];
        DeadLetterStore other = store("replica-b");
        try (CamelContext ca = replica("replica-a", volume, delivered, a)) {
            CompletableFuture<DeadLetterReplay.Pass> replaying = CompletableFuture.supplyAsync(a[0]::replayAll);
            int listings = 0;
            // what replica b's metrics gauge and replay do while a renames and deletes under them
            while (!replaying.isDone()) {
                assertTrue(other.waiting().size() <= 400);
                assertEquals(0, other.releaseStaleClaims(), "fresh claims are not released");
                listings++;
            }
            assertEquals(400, replaying.get().delivered());
            assertTrue(listings > 0);
        }
        assertEquals(400, new HashSet<>(delivered).size());
        assertTrue(other.waiting().isEmpty());
    }

    @Test
    void aClaimLeftByAReplicaThatDiedIsReleased() throws Exception {
        letter(volume.resolve("replica-a"), 1);
        DeadLetterStore dead = store("replica-a");
        // it claimed the letter an hour ago, and died
        dead.setClock(java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofHours(-1)));
        Path claimed = dead.claim(dead.waiting().get(0));
        assertEquals(0, dead.waiting().size(), "claimed: not waiting");

        List<String> delivered = Collections.synchronizedList(new ArrayList<>());
        DeadLetterReplay[] b = new DeadLetterReplay[1];
        try (CamelContext cb = replica("replica-b", volume, delivered, b)) {
            assertEquals(1, b[0].replayAll().delivered());
        }
        assertEquals(1, delivered.size());
        assertNull(dead.claim(claimed.resolveSibling("gone.json")), "nothing left to claim");
        assertTrue(dead.waiting().isEmpty());
    }

    @Test
    void aFreshClaimOfAnOldLetterIsNotReleased() throws Exception {
        letter(volume.resolve("replica-a"), 1);
        DeadLetterStore a = store("replica-a");
        Path letter = a.waiting().get(0);
        FileTime written = FileTime.from(Instant.now().minusSeconds(7200));
        Files.setLastModifiedTime(letter, written);
        Path claimed = a.claim(letter);
        // what the rename leaves until the claim's time is set: the letter's own, two hours old
        Files.setLastModifiedTime(claimed, written);

        assertEquals(0, store("replica-b").releaseStaleClaims(), "claimed just now: not released to another replica");
        assertTrue(Files.exists(claimed));
    }
}
