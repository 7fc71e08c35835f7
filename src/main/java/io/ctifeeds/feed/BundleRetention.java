package io.ctifeeds.feed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CONNECTOR_SEND_TO_DIRECTORY_RETENTION (days, pycti's default 7): the folder sink's bundle files older than that
 * are removed, so the folder cannot fill a disk; 0 keeps everything. Only finished bundle files ({@code *.json})
 * count; a partial file belongs to {@link PartialFiles}.
 */
public class BundleRetention {

    private static final Logger LOG = LoggerFactory.getLogger(BundleRetention.class);

    private final Clock clock;
    private Path folder;
    private int days = 7;

    public BundleRetention() {
        this(Clock.systemUTC());
    }

    BundleRetention(Clock clock) {
        this.clock = clock;
    }

    /** @return how many bundle files were removed */
    public int sweep() {
        if (days == 0 || folder == null || !Files.isDirectory(folder)) {
            return 0;
        }
        Instant before = clock.instant().minus(Duration.ofDays(days));
        int removed = 0;
        try (var files = Files.newDirectoryStream(folder, p -> p.getFileName().toString().endsWith(".json")
                && !p.getFileName().toString().startsWith("."))) {
            for (Path file : files) {
                try {
                    if (Files.isRegularFile(file) && Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                        Files.delete(file);
                        removed++;
                    }
                } catch (IOException e) {
                    LOG.warn("cannot remove old bundle file {}: {}", file, e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot look for old bundle files in {}: {}", folder, e.getMessage());
        }
        if (removed > 0) {
            LOG.info("removed {} bundle file(s) older than {} days from {} (CONNECTOR_SEND_TO_DIRECTORY_RETENTION)",
                    removed, days, folder);
        }
        return removed;
    }

    public void setFolder(String folder) {
        this.folder = Path.of(folder);
    }

    public void setDays(int days) {
        this.days = days;
    }
}
