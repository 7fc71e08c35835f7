package io.ctifeeds.state;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The embedded state store: one folder, per feed a JSON state file and a tab-separated snapshot
 * ({@code ip<TAB>score<TAB>sent-epoch-seconds}). Every write goes to a temporary file that is flushed to disk
 * and then renamed over the old one, so a crash leaves either the old or the new version, never half of one.
 */
public class StateStore {

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static final String STATE_SUFFIX = ".state.json";

    private Path directory = Path.of("data", "state");

    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
    }

    public Path getDirectory() {
        return directory;
    }

    public FeedState loadState(String feed) {
        Path file = stateFile(feed);
        if (!Files.exists(file)) {
            return FeedState.EMPTY;
        }
        try {
            return JSON.readValue(file.toFile(), FeedState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read feed state " + file + ": " + e.getMessage(), e);
        }
    }

    public Snapshot loadSnapshot(String feed) {
        Path file = snapshotFile(feed);
        if (!Files.exists(file)) {
            return new Snapshot();
        }
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Snapshot snapshot = new Snapshot((int) Math.min(Integer.MAX_VALUE, Files.size(file) / 24));
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                int a = line.indexOf('\t');
                int b = line.indexOf('\t', a + 1);
                if (a <= 0 || b <= a) {
                    throw new IOException("malformed line " + lineNo);
                }
                snapshot.put(line.substring(0, a), new SnapshotEntry(
                        Integer.parseInt(line, a + 1, b, 10), Long.parseLong(line, b + 1, line.length(), 10)));
            }
            return snapshot;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read snapshot " + file + " (" + e.getMessage()
                    + "); move it away to start the feed from scratch", e);
        }
    }

    /**
     * The snapshot is written before the state: a crash between the two leaves the old HTTP validators,
     * so the next run downloads again and finds nothing new, instead of a 304 over a stale snapshot.
     */
    public void commit(String feed, FeedState state, Snapshot snapshot) {
        try {
            Path snap = snapshotFile(feed);
            AtomicFile.write(snap, out -> {
                BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                StringBuilder line = new StringBuilder(64);
                IOException[] failure = new IOException[1];
                snapshot.forEach((ip, entry) -> {
                    if (failure[0] != null) {
                        return;
                    }
                    line.setLength(0);
                    line.append(ip).append('\t').append(entry.score()).append('\t').append(entry.sentEpochSecond())
                            .append('\n');
                    try {
                        w.append(line);
                    } catch (IOException e) {
                        failure[0] = e;
                    }
                });
                if (failure[0] != null) {
                    throw failure[0];
                }
                w.flush();
            });
            AtomicFile.write(stateFile(feed), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, state));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state of feed " + feed + " in " + directory
                    + ": " + e.getMessage(), e);
        }
    }

    /** The feeds that have a state, that is that ran at least once. */
    public java.util.List<String> feeds() {
        if (!Files.isDirectory(directory)) {
            return java.util.List.of();
        }
        try (var files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(STATE_SUFFIX))
                    .map(n -> n.substring(0, n.length() - STATE_SUFFIX.length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the feed states in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Forgets every feed's state and snapshot: the next runs send their feeds in full. */
    public void deleteAll() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".state.json")
                    || p.toString().endsWith(".snapshot.tsv")).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset the state in " + directory + ": " + e.getMessage(), e);
        }
    }

    private Path stateFile(String feed) {
        return directory.resolve(feed + STATE_SUFFIX);
    }

    private Path snapshotFile(String feed) {
        return directory.resolve(feed + ".snapshot.tsv");
    }
}
