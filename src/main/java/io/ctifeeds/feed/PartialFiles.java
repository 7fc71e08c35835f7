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
 * nothing would ever remove it (a new run writes under new names). The sink discards it after each attempt.
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

    public void setFolder(String folder) {
        this.folder = Path.of(folder);
    }

    public void setPrefix(String prefix) {
        this.prefix = prefix;
    }
}
