package io.ctifeeds.state;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The embedded state store: one folder, per feed a JSON state file and a tab-separated snapshot
 * ({@code ip<TAB>score<TAB>epoch-seconds}). Every write goes to a temporary file that is flushed to disk
 * and then renamed over the old one, so a crash leaves either the old or the new version, never half of one.
 * <p>
 * A run that delivers page by page checkpoints into a journal beside the snapshot (same line format, appended
 * and forced to disk per checkpoint), which costs what the page adds, not the whole snapshot again. Loading
 * replays the journal over the snapshot; a commit folds it in and deletes it.
 */
public class FileStateStore implements StateStore {

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

    @Override
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

    @Override
    public Snapshot loadSnapshot(String feed) {
        Path file = snapshotFile(feed);
        Path journal = journalFile(feed);
        try {
            long size = Files.exists(file) ? Files.size(file) : 0;
            Snapshot snapshot = new Snapshot((int) Math.min(Integer.MAX_VALUE, size / 24));
            if (Files.exists(file)) {
                read(file, snapshot, false);
            }
            if (Files.exists(journal)) {
                read(journal, snapshot, true);
            }
            return snapshot;
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read the snapshot of feed " + feed + " in " + directory + " ("
                    + e.getMessage() + "); move " + file.getFileName() + " and " + journal.getFileName()
                    + " away to start the feed from scratch", e);
        }
    }

    /**
     * @param journal a crash while appending may leave the journal's last line torn (no line end): that line is
     *                ignored, as its checkpoint never completed; any other malformed line is an error
     */
    private static void read(Path file, Snapshot into, boolean journal) throws IOException {
        boolean tornTail = journal && !endsWithLineFeed(file);
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            int lineNo = 0;
            while (line != null) {
                lineNo++;
                String next = in.readLine();
                if (next == null && tornTail) {
                    return;
                }
                int a = line.indexOf('\t');
                int b = line.indexOf('\t', a + 1);
                if (a <= 0 || b <= a) {
                    throw new IOException(file.getFileName() + ": malformed line " + lineNo);
                }
                into.put(line.substring(0, a), new SnapshotEntry(
                        Integer.parseInt(line, a + 1, b, 10), Long.parseLong(line, b + 1, line.length(), 10)));
                line = next;
            }
        }
    }

    private static boolean endsWithLineFeed(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return completeLinesEnd(channel) == channel.size();
        }
    }

    /** The length of the channel's content up to and including its last line feed (0 if it has none). */
    private static long completeLinesEnd(FileChannel channel) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(4096);
        long end = channel.size();
        while (end > 0) {
            long start = Math.max(0, end - chunk.capacity());
            chunk.clear().limit((int) (end - start));
            while (chunk.hasRemaining() && channel.read(chunk, start + chunk.position()) >= 0) {
                // fill the chunk
            }
            for (int i = chunk.position() - 1; i >= 0; i--) {
                if (chunk.get(i) == '\n') {
                    return start + i + 1;
                }
            }
            end = start;
        }
        return 0;
    }

    /**
     * Records delivered entries of a run still in progress: appended to the feed's journal and forced to disk
     * before this returns, so a crash or a failure later in the run keeps them.
     */
    @Override
    public void checkpoint(String feed, List<Map.Entry<String, SnapshotEntry>> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Path journal = journalFile(feed);
        try {
            Files.createDirectories(directory);
            StringBuilder text = new StringBuilder(entries.size() * 32);
            for (Map.Entry<String, SnapshotEntry> e : entries) {
                line(text, e.getKey(), e.getValue());
            }
            try (FileChannel channel = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                // a line torn by an earlier crash would glue onto the first new one: cut it off
                long start = completeLinesEnd(channel);
                channel.truncate(start);
                try {
                    long position = start;
                    ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                    while (bytes.hasRemaining()) {
                        position += channel.write(bytes, position);
                    }
                    channel.force(true);
                } catch (IOException e) {
                    // a full disk: leave the journal as it was, not with half a checkpoint (cutting needs no space)
                    channel.truncate(start);
                    throw e;
                }
            } catch (IOException e) {
                if (Files.exists(journal) && Files.size(journal) == 0) {
                    Files.deleteIfExists(journal);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot checkpoint feed " + feed + " in " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    private static void line(StringBuilder out, String ip, SnapshotEntry entry) {
        out.append(ip).append('\t').append(entry.score()).append('\t').append(entry.epochSecond()).append('\n');
    }

    /**
     * The snapshot is written before the state: a crash between the two leaves the old HTTP validators,
     * so the next run downloads again and finds nothing new, instead of a 304 over a stale snapshot.
     */
    @Override
    public void commit(String feed, FeedState state, Snapshot snapshot) {
        try {
            AtomicFile.write(snapshotFile(feed), out -> {
                Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
                StringBuilder line = new StringBuilder(64);
                for (Iterator<String> ips = snapshot.ips(); ips.hasNext(); ) {
                    String ip = ips.next();
                    line.setLength(0);
                    line(line, ip, snapshot.get(ip));
                    w.append(line);
                }
                w.flush();
            });
            AtomicFile.write(stateFile(feed), out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, state));
            // the snapshot holds every checkpoint now; replaying them over it would change nothing
            Files.deleteIfExists(journalFile(feed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state of feed " + feed + " in " + directory
                    + ": " + e.getMessage(), e);
        }
    }

    /** The feeds that have a state, that is that ran at least once. */
    @Override
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
    @Override
    public void deleteAll() {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".state.json")
                    || p.toString().endsWith(".snapshot.tsv") || p.toString().endsWith(".journal.tsv")).toList()) {
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

    private Path journalFile(String feed) {
        return directory.resolve(feed + ".journal.tsv");
    }
}
