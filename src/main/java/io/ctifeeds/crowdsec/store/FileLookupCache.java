package io.ctifeeds.crowdsec.store;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

import io.ctifeeds.state.AtomicFile;

/**
 * When each IP was last looked up on CrowdSec, kept on disk ({@code <ip>\t<epoch-seconds>} lines, appended as
 * lookups happen) so that an IP is not looked up again within {@code min_delay_between_enrichments}, across
 * restarts. Loading drops what is older than the delay and rewrites the file, so it holds one window's lookups.
 * A lookup that never answered is not recorded: the IP is tried again next time.
 */
public class FileLookupCache implements LookupCache {

    private final Path file;
    private final long minDelaySeconds;
    private Map<String, Long> lookedUp;
    private BufferedWriter journal;

    public FileLookupCache(Path file, long minDelaySeconds) {
        this.file = file;
        this.minDelaySeconds = minDelaySeconds;
    }

    /** @return true when the IP was looked up less than the minimum delay before {@code nowEpochSecond} */
    @Override
    public synchronized boolean isFresh(String ip, long nowEpochSecond) {
        Long at = entries(nowEpochSecond).get(ip);
        return at != null && nowEpochSecond - at < minDelaySeconds;
    }

    @Override
    public synchronized void lookedUp(String ip, long nowEpochSecond) {
        entries(nowEpochSecond).put(ip, nowEpochSecond);
        try {
            if (journal == null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                journal = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            journal.append(ip).append('\t').append(Long.toString(nowEpochSecond)).append('\n');
            journal.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a CrowdSec lookup in " + file + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Long> entries(long nowEpochSecond) {
        if (lookedUp == null) {
            lookedUp = load(nowEpochSecond);
        }
        return lookedUp;
    }

    private Map<String, Long> load(long nowEpochSecond) {
        Map<String, Long> loaded = new HashMap<>();
        if (!Files.exists(file)) {
            return loaded;
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                int tab = line.indexOf('\t');
                if (tab <= 0) {
                    continue; // a line torn by a crash: that lookup is simply made again
                }
                try {
                    long at = Long.parseLong(line, tab + 1, line.length(), 10);
                    if (nowEpochSecond - at < minDelaySeconds) {
                        loaded.merge(line.substring(0, tab), at, Math::max);
                    }
                } catch (NumberFormatException e) {
                    // same as a torn line
                }
            }
            StringBuilder kept = new StringBuilder(loaded.size() * 24);
            loaded.forEach((ip, at) -> kept.append(ip).append('\t').append(at).append('\n'));
            AtomicFile.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
            return loaded;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CrowdSec lookup cache " + file + ": " + e.getMessage(), e);
        }
    }
}
