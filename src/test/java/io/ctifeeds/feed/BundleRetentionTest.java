package io.ctifeeds.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleRetentionTest {

    private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    @TempDir
    Path folder;

    private Path file(String name, Duration age) throws Exception {
        Path p = Files.writeString(folder.resolve(name), "{}");
        Files.setLastModifiedTime(p, FileTime.from(NOW.minus(age)));
        return p;
    }

    @Test
    void bundleFilesOlderThanTheRetentionGoTheRestStays() throws Exception {
        Path old = file("ipsum-20261120T000000Z-00001.json", Duration.ofDays(8));
        Path recent = file("ipsum-20261201T000000Z-00001.json", Duration.ofDays(6));
        Path partial = file(".tmp-ipsum-20261120T000000Z-00002.json", Duration.ofDays(30));
        Path other = file("notes.txt", Duration.ofDays(30));
        BundleRetention retention = new BundleRetention(Clock.fixed(NOW, ZoneOffset.UTC));
        retention.setFolder(folder.toString());

        assertEquals(1, retention.sweep(), "pycti's default: 7 days");
        assertFalse(Files.exists(old));
        assertTrue(Files.exists(recent) && Files.exists(partial) && Files.exists(other));

        retention.setDays(0);
        file("ipsum-20200101T000000Z-00001.json", Duration.ofDays(2000));
        assertEquals(0, retention.sweep(), "0 keeps everything");
    }
}
