package io.ctifeeds.feed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Header;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary files a folder sink writes before renaming them into place. Camel's file producer leaves a
 * temporary file behind when a write fails; on a full disk that file keeps the space the next attempt needs, and
 * nothing would ever remove it (a new run writes under new names). The sink discards it after each attempt, and
 * sweeps at start-up what a killed process left.
 */
public class PartialFiles {

    private static final Logger LOG = LoggerFactory.getLogger(PartialFiles.class);

    private Path folder;
    private String prefix = ".tmp-";

    /** Removes the temporary file of this file name, if a failed write left one; a delivered file has none. */
    public void discard(@Header(Exchange.FILE_NAME) String fileName) {
        if (fileName == null) {
            return;
        }
        Path partial = folder.resolve(prefix + fileName);
        try {
            if (Files.deleteIfExists(partial)) {
                LOG.debug("removed the partial file {}", partial);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove the partial file {}: {}", partial, e.getMessage());
        }
    }

    /**
     * Removes the temporary files older than {@code minAgeMillis}: left by a process killed in the middle of a
     * write, they are never read and never overwritten. Younger ones may be a replica's write in progress.
     *
     * @return how many were removed
     */
    public int sweep(long minAgeMillis) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        java.time.Instant limit = java.time.Instant.now().minusMillis(minAgeMillis);
        int removed = 0;
        try (var files = Files.newDirectoryStream(folder, p -> p.getFileName().toString().startsWith(prefix))) {
            for (Path partial : files) {
                try {
                    if (Files.getLastModifiedTime(partial).toInstant().isBefore(limit) && Files.deleteIfExists(partial)) {
                        removed++;
                    }
                } catch (IOException e) {
                    // gone meanwhile, or not ours to remove: left for the next sweep
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot look for partial files in {}: {}", folder, e.getMessage());
        }
        if (removed > 0) {
            LOG.info("removed {} partial file(s) left in {} by an interrupted write", removed, folder);
        }
        return removed;
    }

    public void setFolder(String folder) {
        this.folder = Path.of(folder);
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }
}
