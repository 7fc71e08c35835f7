package io.ctifeeds.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.GetResponse;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.CtiApiServer;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.PushQueue;
import io.ctifeeds.testing.SmallDisk;
import io.ctifeeds.testing.TcpProxy;
import io.ctifeeds.testing.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data volume that fills up, on a real file system (a small tmpfs: the kernel answers ENOSPC): every record
 * ends delivered or still pending for the next run, the run says the disk is full, no partial file is left to
 * hold the space, and once there is room again the next run delivers everything.
 */
class FullDiskTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_SPACE = "No space left on device";

    @TempDir
    Path temp;
    private FeedServer feed;
    private SmallDisk disk;
    private TestApp app;

    @BeforeEach
    void setUp() throws Exception {
        feed = new FeedServer();
        feed.serve(Fixtures.bytes("ipsum/levels_5.txt"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (app != null) {
            app.close();
        }
        feed.close();
        if (disk != null) {
            disk.close();
        }
    }

    private TestApp start(Path data, Map<String, String> extra) throws Exception {
        Map<String, String> overrides = new HashMap<>(extra);
        overrides.putIfAbsent("connector.ipsum.api-base-url", feed.url("/levels/5.txt"));
        overrides.putIfAbsent("connector.send-to-directory-path", data.resolve("bundles").toString());
        overrides.put("connector.delivery-retry-delay-ms", "10");
        app = new TestApp(data, overrides).start();
        return app;
    }

    /** Every file left on the disk, hidden ones too (a partial temporary file holds the space it took). */
    private static List<String> files(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (var all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile).map(p -> folder.relativize(p).toString()).sorted().toList();
        }
    }

    /** The IP values of the observables in the bundle files of a folder; each file must be a whole bundle. */
    private static Set<String> deliveredIps(Path bundles) throws IOException {
        Set<String> ips = new HashSet<>();
        for (String name : files(bundles)) {
            JsonNode bundle = JSON.readTree(bundles.resolve(name).toFile());
            assertEquals("bundle", bundle.get("type").asText(), name);
            for (JsonNode object : bundle.get("objects")) {
                if (object.get("type").asText().matches("ipv[46]-addr")) {
                    ips.add(object.get("value").asText());
                }
            }
        }
        return ips;
    }

    @Test
    void bundlesThatFillTheDiskFailTheRunWhichSaysSoAndTheNextRunDeliversEverything() throws Exception {
        disk = SmallDisk.mount(temp, 256 * 1024);
        Path bundles = disk.path().resolve("bundles");
        FeedRun full = start(disk.path(), Map.of()).run("ipsum");

        assertTrue(full.failed(), "a bundle that could not be written fails the run");
        assertTrue(full.failure().contains(NO_SPACE), full.failure());
        assertTrue(full.failure().contains(bundles.toString()), "names where: " + full.failure());
        assertFalse(Files.exists(disk.path().resolve("state/ipsum.snapshot.tsv")), "nothing recorded as sent");
        for (String name : files(bundles)) {
            assertFalse(name.startsWith("."), "no partial file left behind: " + files(bundles));
        }
        assertTrue(deliveredIps(bundles).size() < 1413, "the disk was too small for the whole feed");
        assertTrue(full.count(Counter.HELD_BACK) > 0, "once a bundle failed, the rest is not bundled to fail too");

        disk.resize(64L << 20);
        FeedRun roomy = app.run("ipsum");

        assertFalse(roomy.failed(), roomy.failure());
        assertEquals(1413, roomy.count(Counter.NEW), "all still pending: the failed run recorded nothing");
        assertEquals(new HashSet<>(Fixtures.lines("ipsum/levels_5.txt")), deliveredIps(bundles));
        FeedRun after = app.run("ipsum");
        assertFalse(after.failed(), after.failure());
        assertEquals(0, after.count(Counter.NEW), "now recorded: nothing is sent twice");
    }

    @Test
    void aSnapshotThatDoesNotFitKeepsEveryIpPendingForTheNextRun() throws Exception {
        // the download (20 KB) fits, the snapshot (40 KB) does not; the bundles go to another volume
        disk = SmallDisk.mount(temp, 32 * 1024);
        Path bundles = temp.resolve("bundles");
        FeedRun full = start(disk.path(), Map.of("connector.send-to-directory-path", bundles.toString()))
                .run("ipsum");

        assertTrue(full.failed(), "a run whose state cannot be written must not pass for a success");
        assertTrue(full.failure().contains(NO_SPACE), full.failure());
        assertFalse(full.failure().contains("while fetching"), "the download went well: " + full.failure());
        assertEquals(List.of("downloads/ipsum.download"), files(disk.path()), "no partial state file");

        disk.resize(1L << 20);
        app.clearBundles();
        FeedRun roomy = app.run("ipsum");

        assertFalse(roomy.failed(), roomy.failure());
        assertEquals(1413, roomy.count(Counter.NEW), "every IP sent again: none was recorded");
        assertEquals(new HashSet<>(Fixtures.lines("ipsum/levels_5.txt")), deliveredIps(bundles));
        assertTrue(Files.exists(disk.path().resolve("state/ipsum.snapshot.tsv")));
    }

    @Test
    void withTheBrokerDownAndNoRoomForDeadLettersNothingIsRecordedAsSent() throws Exception {
        feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
        String connectorId = UUID.randomUUID().toString();
        disk = SmallDisk.mount(temp, 16 * 1024);
        try (FakeOpenCti platform = FakeOpenCti.start();
             PushQueue queue = new PushQueue(connectorId);
             TcpProxy broker = new TcpProxy(5672)) {
            start(disk.path(), Map.of("connector.ipsum.api-base-url", feed.url("/levels/8.txt"),
                    "opencti.url", platform.url(), "opencti.token", platform.token(), "connector.id", connectorId,
                    "mq.port", Integer.toString(broker.port()), "connector.delivery-retries", "1",
                    "connector.dead-letter-replay-period-ms", "3600000"));
            FeedRun full = app.run("ipsum");

            assertTrue(full.failed(), "neither delivered nor durably dead-lettered: the run failed");
            assertTrue(full.failure().contains(NO_SPACE), full.failure());
            assertTrue(full.failure().contains("dead letter"), full.failure());
            assertEquals(List.of("downloads/ipsum.download"), files(disk.path()));

            disk.resize(16L << 20);
            broker.up();
            FeedRun roomy = app.run("ipsum");

            assertFalse(roomy.failed(), roomy.failure());
            assertEquals(23, roomy.count(Counter.NEW));
            Set<String> ips = new HashSet<>();
            GetResponse message;
            while ((message = queue.channel().basicGet(queue.name(), true)) != null) {
                JsonNode object = PushQueue.bundle(message.getBody()).get("objects").get(0);
                if (object.get("type").asText().equals("ipv4-addr")) {
                    ips.add(object.get("value").asText());
                }
            }
            assertEquals(new HashSet<>(Fixtures.lines("ipsum/levels_8.txt")), ips);
        }
    }

    @Test
    void aPageCheckpointThatCannotBeWrittenFailsTheImportAndTheNextRunTakesThePageAgain() throws Exception {
        try (CtiApiServer api = new CtiApiServer("cti-test-key-0123456789")) {
            api.serve(CtiApiServer.fixtureItems());
            disk = SmallDisk.mount(temp, 64 * 1024);
            Path bundles = temp.resolve("bundles");
            start(disk.path(), Map.of("connector.send-to-directory-path", bundles.toString(),
                    "connector.ipsum.enabled", "false", "crowdsec.key", "cti-test-key-0123456789",
                    "crowdsec.api-base-url", api.url(), "crowdsec.import-page-size", "3"));
            disk.fill();
            FeedRun full = app.run("crowdsec-import");

            assertTrue(full.failed(), "page 1 was delivered but cannot be recorded: the run failed");
            assertTrue(full.failure().contains(NO_SPACE), full.failure());
            assertEquals(List.of("filler"), files(disk.path()), "no journal, no partial file");

            disk.unfill();
            app.clearBundles();
            FeedRun roomy = app.run("crowdsec-import");

            assertFalse(roomy.failed(), roomy.failure());
            assertEquals(5, roomy.count(Counter.NEW), "page 1 was not recorded, so it is taken again");
            assertEquals(5, deliveredIps(bundles).size());
        }
    }

    @Test
    void aDownloadThatDoesNotFitFailsTheRunAndSaysTheDiskIsFullNotTheSource() throws Exception {
        disk = SmallDisk.mount(temp, 128 * 1024);
        start(disk.path(), Map.of("connector.send-to-directory-path", temp.resolve("bundles").toString()));
        disk.fill();
        FeedRun full = app.run("ipsum");

        assertTrue(full.failed());
        assertTrue(full.failure().contains(NO_SPACE) && full.failure().contains("disk is full"), full.failure());
        assertTrue(full.failure().contains(disk.path().resolve("downloads").toString()), "where: " + full.failure());
        assertFalse(full.failure().contains("while fetching"), "the source answered: " + full.failure());
        assertEquals(List.of("filler"), files(disk.path()), "no partial download left");

        disk.unfill();
        FeedRun roomy = app.run("ipsum");
        assertFalse(roomy.failed(), roomy.failure());
        assertEquals(1413, roomy.count(Counter.NEW));
    }
}
