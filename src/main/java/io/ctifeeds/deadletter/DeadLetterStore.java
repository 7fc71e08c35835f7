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
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.state.AtomicFile;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter folder: one durable JSON file per message that could not be delivered after its retries,
 * holding the payload and why (route, exception, attempts, time). A file is complete or absent: it is
 * written under a hidden temporary name, forced to disk and renamed.
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

    private Path directory = Path.of("data", "dead-letter");

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
        Path file = directory.resolve(name);
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
            // not durable: the run must not advance its state, so the failure goes back to the route
            throw new UncheckedIOException("cannot write the dead letter " + file + ": " + e.getMessage(), e);
        }
        if (run != null) {
            run.increment(FeedRun.Counter.DEAD_LETTERED);
        }
        LOG.error("{}: a bundle could not be delivered after {} attempts ({}); kept in {} for replay",
                run == null ? "replay" : run.feed(), attempts, cause == null ? "unknown" : cause.getMessage(),
                file);
    }

    /** The waiting dead letters, oldest first (names start with their time). */
    public List<Path> waiting() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json")
                    && !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Letter read(Path file) throws IOException {
        JsonNode letter = JSON.readTree(file.toFile());
        JsonNode payload = letter.path("payload");
        if (payload.isMissingNode() || payload.isNull()) {
            throw new IOException("dead letter " + file + " holds no payload");
        }
        return new Letter(file, JSON.writeValueAsBytes(payload), letter.path("exception").asText(""));
    }

    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
    }

    public Path getDirectory() {
        return directory;
    }
}
