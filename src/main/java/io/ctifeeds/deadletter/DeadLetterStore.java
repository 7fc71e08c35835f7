package io.ctifeeds.deadletter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRuns;
import io.ctifeeds.state.AtomicFile;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter folder: one durable JSON file per message that could not be delivered after its retries,
 * holding the payload and why (route, exception, attempts, time). A file is complete or absent: it is
 * written under a hidden temporary name, forced to disk and renamed.
 * <p>
 * Replicas on a shared volume each write into a folder of their own ({@code <folder>/<replica id>}) and replay
 * every replica's letters: a letter is first claimed by renaming it (an atomic rename succeeds for one replica
 * only), then delivered, then deleted; a claim left by a replica that died is released after a while.
 */
public class DeadLetterStore {

    /** Exchange property a sink increments on each try, so the letter can say how many were made. */
    public static final String ATTEMPTS = "ctiDeliveryAttempts";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter NAME_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'").withZone(ZoneOffset.UTC);

    /** A dead letter read back: its file and payload. */
    public record Letter(Path file, byte[] payload, String reason) {
    }

    private static final String CLAIMED = ".claimed-";
    /** The sub-folder of the letters the platform refused for good: never replayed, kept for an operator. */
    public static final String REJECTED = "rejected";
    /** Separates a claim name's parts; a replica id never holds it. */
    private static final String CLAIM_PART = "~";
    /** The time a letter's name starts with ({@link #NAME_TIME}). */
    private static final java.util.regex.Pattern LETTER_TIME = java.util.regex.Pattern.compile("\\d{8}T\\d{9}Z-");

    private Path directory = Path.of("data", "dead-letter");
    private String replicaId = "";
    private java.time.Duration claimTimeout = java.time.Duration.ofMinutes(30);
    private java.time.Clock clock = java.time.Clock.systemUTC();

    /** The dead letter channel's endpoint: the exchange failed for good. */
    public void write(Exchange exchange) {
        FeedRun run = exchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        byte[] payload = exchange.getMessage().getBody(byte[].class);
        int attempts = Math.max(1, exchange.getProperty(ATTEMPTS, 1, Integer.class));
        String route = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        Instant now = Instant.now();
        String name = NAME_TIME.format(now) + "-" + (run == null ? "replay" : run.id()) + "-"
                + UUID.randomUUID().toString().substring(0, 8) + ".json";
        Path file = ownFolder().resolve(name);
        String reason = cause == null ? "unknown" : cause.getClass().getName() + ": " + cause.getMessage();
        try {
            AtomicFile.write(file, out -> {
                try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
                    json.writeStartObject();
                    json.writeStringField("feed", run == null ? null : run.feed());
                    json.writeStringField("run", run == null ? null : run.id());
                    json.writeStringField("route", route);
                    json.writeStringField("exception", reason);
                    json.writeNumberField("attempts", attempts);
                    json.writeStringField("time", now.toString());
                    json.writeFieldName("payload");
                    if (payload == null) {
                        json.writeNull();
                    } else {
                        json.writeRawValue(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
                    }
                    json.writeEndObject();
                }
            });
        } catch (IOException e) {
            UncheckedIOException notDurable = new UncheckedIOException("cannot write the dead letter " + file + ": "
                    + e.getMessage(), e);
            if (run == null) {
                throw notDurable;
            }
            // not durable: the run must not advance its state. Said here, in one line: thrown, the error would
            // only reach Camel's fallback handler, which logs both exceptions with their stack traces
            String why = FeedRuns.describe(notDurable, run);
            run.deliveryFailed(why);
            LOG.error("{}: a bundle could not be delivered after {} attempts ({}), nor kept: {}", run.feed(), attempts,
                    cause == null ? "unknown" : cause.getMessage(), why);
            return;
        }
        if (run != null) {
            run.increment(FeedRun.Counter.DEAD_LETTERED);
        }
        LOG.error("{}: a bundle could not be delivered after {} attempts ({}); kept in {} for replay",
                run == null ? "replay" : run.feed(), attempts, cause == null ? "unknown" : cause.getMessage(),
                file);
    }

    /** The waiting dead letters of every replica, oldest first (names start with their time). */
    public List<Path> waiting() {
        return entries(name -> name.endsWith(".json") && !name.startsWith(".")).stream()
                .sorted(java.util.Comparator.comparing(p -> p.getFileName().toString())).toList();
    }

    /**
     * The files of the folder and of its replica sub-folders whose names match, by name only: other replicas
     * rename and delete letters while this one lists them, and a walk that reads each entry's attributes
     * fails on the first one gone.
     */
    private List<Path> entries(java.util.function.Predicate<String> name) {
        List<Path> found = new java.util.ArrayList<>();
        for (Path folder : folders()) {
            try (var files = Files.newDirectoryStream(folder, p -> name.test(p.getFileName().toString()))) {
                files.forEach(found::add);
            } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
                // a replica folder removed meanwhile holds nothing
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return found;
    }

    private List<Path> folders() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> folders = new java.util.ArrayList<>(List.of(directory));
        try (var subFolders = Files.newDirectoryStream(directory,
                p -> Files.isDirectory(p) && !p.getFileName().toString().equals(REJECTED))) {
            subFolders.forEach(folders::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folders;
    }

    /**
     * Claims a letter for delivery by this replica: renames it to
     * {@code .claimed-<replica id>~<claim time, epoch ms>~<letter name>}. The replica id holds no {@code ~} (see
     * {@link #setReplicaId}), so the name gives back the letter's exactly, whatever dashes the id has. The claim's
     * time is in its name, set by the same atomic rename: a file's time would be the letter's own until reset,
     * and another replica could take a claim just made for a stale one.
     *
     * @return the claimed file, or null when another replica claimed it first
     */
    public Path claim(Path letter) throws IOException {
        String name = letterName(letter.getFileName().toString());
        Path claimed = letter.resolveSibling(CLAIMED + (replicaId.isEmpty() ? "local" : replicaId) + CLAIM_PART
                + clock.millis() + CLAIM_PART + name);
        try {
            Files.move(letter, claimed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
        return claimed;
    }

    /** Gives a claimed letter back (its delivery failed): it waits for the next replay, by any replica. */
    public void release(Path claimed) throws IOException {
        Files.move(claimed, unclaimedName(claimed), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Releases the claims of replicas that died before delivering them; returns how many. */
    public int releaseStaleClaims() {
        int released = 0;
        Instant limit = clock.instant().minus(claimTimeout);
        for (Path claimed : entries(name -> name.startsWith(CLAIMED))) {
            try {
                if (claimedAt(claimed).isBefore(limit)) {
                    release(claimed);
                    released++;
                    LOG.warn("dead letter {} was claimed {} ago and never delivered; released for replay",
                            unclaimedName(claimed).getFileName(), claimTimeout);
                }
            } catch (IOException e) {
                // another replica released or delivered it meanwhile
            }
        }
        return released;
    }

    /** When the claim was made: from its name; a claim named by an older version has only its file's time. */
    private static Instant claimedAt(Path claimed) throws IOException {
        String rest = claimed.getFileName().toString().substring(CLAIMED.length());
        int replicaEnd = rest.indexOf(CLAIM_PART);
        int timeEnd = replicaEnd < 0 ? -1 : rest.indexOf(CLAIM_PART, replicaEnd + 1);
        if (timeEnd > 0) {
            try {
                return Instant.ofEpochMilli(Long.parseLong(rest.substring(replicaEnd + 1, timeEnd)));
            } catch (NumberFormatException e) {
                // not ours: judged by its file's time
            }
        }
        return Files.getLastModifiedTime(claimed).toInstant();
    }

    private static Path unclaimedName(Path claimed) {
        String rest = claimed.getFileName().toString().substring(CLAIMED.length());
        int replicaEnd = rest.indexOf(CLAIM_PART);
        int timeEnd = replicaEnd < 0 ? -1 : rest.indexOf(CLAIM_PART, replicaEnd + 1);
        // an older version's claim, .claimed-<replica id>-<letter>: the letter's name starts with its time
        return claimed.resolveSibling(letterName(timeEnd > 0 ? rest.substring(timeEnd + 1) : rest));
    }

    /**
     * A letter's name from its time on: what an older version's claims left in front of it (a piece of a dashed
     * replica id, once per failed pass) is dropped, so the letter sorts by its time again.
     */
    private static String letterName(String name) {
        java.util.regex.Matcher time = LETTER_TIME.matcher(name);
        return time.find() ? name.substring(time.start()) : name;
    }

    /**
     * Sets a claimed letter aside in {@code rejected/}, under its own name: the platform refused it for good, and
     * replaying it would only hold back the letters behind it.
     *
     * @return where it is now
     */
    public Path reject(Path claimed) throws IOException {
        Path folder = Files.createDirectories(rejectedFolder());
        Path rejected = folder.resolve(unclaimedName(claimed).getFileName());
        Files.move(claimed, rejected, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return rejected;
    }

    /** The letters set aside as refused, waiting for an operator. */
    public long rejectedCount() {
        try (var files = Files.newDirectoryStream(rejectedFolder(), p -> p.getFileName().toString().endsWith(".json"))) {
            long n = 0;
            for (Path ignored : files) {
                n++;
            }
            return n;
        } catch (java.nio.file.NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path rejectedFolder() {
        return directory.resolve(REJECTED);
    }

    /** Where this replica writes: the folder itself, or its own sub-folder when it has a replica id. */
    private Path ownFolder() {
        return replicaId.isEmpty() ? directory : directory.resolve(replicaId);
    }

    public Letter read(Path file) throws IOException {
        JsonNode letter = JSON.readTree(file.toFile());
        JsonNode payload = letter.path("payload");
        // a letter that is no bundle would fail every replay pass and hold up the letters behind it
        if (!payload.isObject() || !"bundle".equals(payload.path("type").asText())
                || !payload.path("objects").isArray()) {
            throw new IOException("dead letter " + file + " holds no STIX bundle");
        }
        return new Letter(file, JSON.writeValueAsBytes(payload), letter.path("exception").asText(""));
    }

    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
    }

    public Path getDirectory() {
        return directory;
    }

    /** Replicas sharing the folder each write into a sub-folder of this name (file-name safe). */
    public void setReplicaId(String replicaId) {
        String id = replicaId == null ? "" : replicaId.strip().replaceAll("[^A-Za-z0-9._-]", "_");
        // the rejected letters' folder is no replica's
        this.replicaId = id.equals(REJECTED) ? id + "_" : id;
    }

    public void setClock(java.time.Clock clock) {
        this.clock = clock;
    }

    public void setClaimTimeout(java.time.Duration claimTimeout) {
        this.claimTimeout = claimTimeout;
    }
}
