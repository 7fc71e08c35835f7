package io.ctifeeds.feed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.ctifeeds.state.AtomicFile;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * Keeps a download on disk and refuses one that cannot be the real feed before a single record is read:
 * empty, an HTML page, or far smaller than the last good download of the same source. After the records
 * were read, refuses a feed with no valid IP or far fewer than last time. Refusing means no delisting and
 * no state change, which protects against the mass delisting a bad download would otherwise cause.
 */
public class DownloadGuard {

    private Path directory = Path.of("data", "downloads");
    /** The relative bound never refuses less than this. */
    static final long GROWTH_FLOOR_BYTES = 1L << 20;

    private int maxGrowth = 10;
    private int maxLineLength = 16_384;

    public void setDirectory(String directory) {
        this.directory = Path.of(directory);
    }

    /** A download may be at most this many times the last good one of its source (0: no such bound). */
    public void setMaxGrowth(int maxGrowth) {
        this.maxGrowth = maxGrowth;
    }

    /** The longest line a download may hold, in bytes: the split holds a line (a thousand of them) in memory. */
    public void setMaxLineLength(int maxLineLength) {
        this.maxLineLength = maxLineLength;
    }

    /**
     * Before the GET: the answer may be at most {@code maxGrowth} times the last good download of the same source,
     * a bound the HTTP client enforces while reading ({@link FetchLimits}). Never below {@link #GROWTH_FLOOR_BYTES}:
     * a list that was nearly empty may fill up for real, and a megabyte cannot hurt.
     */
    public void limitRequest(Exchange exchange) {
        FeedRun run = exchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        long lastGood = run.previousState().lastGoodBytes();
        if (maxGrowth > 0 && lastGood > 0 && run.sameSourceAsBefore()) {
            long bound = Math.max(GROWTH_FLOOR_BYTES,
                    lastGood > Long.MAX_VALUE / maxGrowth ? Long.MAX_VALUE : lastGood * maxGrowth);
            exchange.getMessage().setHeader(FetchLimits.MAX_BYTES_HEADER, bound);
        }
    }

    /** Body in: the HTTP response. Body out: the downloaded file, ready for a streaming split. */
    public Path accept(Exchange exchange) {
        FeedRun run = exchange.getProperty(FeedRun.PROPERTY, FeedRun.class);
        Path file = directory.resolve(run.feed() + ".download");
        try (InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class)) {
            AtomicFile.write(file, out -> copyLines(in, out));
            long bytes = Files.size(file);
            run.downloaded(exchange.getMessage().getHeader("ETag", String.class),
                    exchange.getMessage().getHeader("Last-Modified", String.class), bytes);
            refuseIfBroken(run, file, bytes, exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class));
            exchange.getMessage().setHeader(Exchange.CHARSET_NAME, StandardCharsets.UTF_8.name());
            return file;
        } catch (FetchLimitException e) {
            throw new BrokenFeedException(run.feed() + ": the download from " + run.source() + " has " + e.getMessage()
                    + "; refused, nothing delisted");
        } catch (IOException e) {
            // the body has been read by the HTTP producer already: what fails here is the local disk
            throw new UncheckedIOException("cannot keep the download in " + file + ": " + e.getMessage(), e);
        } catch (org.apache.camel.InvalidPayloadException e) {
            throw new BrokenFeedException(run.feed() + ": the source returned no body");
        }
    }

    /** Copies the download, refusing a line longer than the bound before the split would hold it in memory. */
    private void copyLines(InputStream in, java.io.OutputStream out) throws IOException {
        byte[] buffer = new byte[65_536];
        long line = 0;
        int n;
        while ((n = in.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    line = 0;
                } else if (++line > maxLineLength) {
                    throw new FetchLimitException("a line longer than " + maxLineLength
                            + " bytes (CONNECTOR_FETCH_MAX_LINE_LENGTH)");
                }
            }
            out.write(buffer, 0, n);
        }
    }

    private static void refuseIfBroken(FeedRun run, Path file, long bytes, String contentType) throws IOException {
        if (bytes == 0) {
            throw new BrokenFeedException(run.feed() + ": the download from " + run.source() + " is empty");
        }
        if (looksLikeHtml(file, contentType)) {
            throw new BrokenFeedException(run.feed() + ": " + run.source()
                    + " returned an HTML page instead of the feed");
        }
        long lastGood = run.previousState().lastGoodBytes();
        if (run.sameSourceAsBefore() && lastGood > 0 && bytes < run.policy().minSizeRatio() * lastGood) {
            throw new BrokenFeedException(String.format(
                    "%s: the download is %d bytes, less than %.0f%% of the last good one (%d bytes); "
                            + "refused as broken, nothing delisted", run.feed(), bytes,
                    run.policy().minSizeRatio() * 100, lastGood));
        }
    }

    private static boolean looksLikeHtml(Path file, String contentType) throws IOException {
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/html")) {
            return true;
        }
        byte[] head = new byte[512];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        String start = new String(head, 0, n, StandardCharsets.ISO_8859_1).stripLeading()
                .replace("\uFEFF", "").replace("ï»¿", "").toLowerCase(Locale.ROOT);
        return start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<?xml")
                || start.startsWith("<head") || start.startsWith("<body");
    }

    /**
     * What a download holds, counted before its records are read for real.
     *
     * @param ips      distinct valid records a run would keep (the size of the next snapshot)
     * @param rejected lines that are neither records nor comments
     */
    public record Listed(int ips, int rejected) {
    }

    /** The exchange property that carries the {@link Listed} count of the download. */
    /**
     * A header, not an exchange property: the split copies every property into each line's exchange, and one more
     * makes each copy's map resize (measured: about a tenth of the IPsum benchmark's throughput); headers are
     * dropped before the split.
     */
    public static final String LISTED_HEADER = "listed";

    /**
     * Before a record is sent (or enriched, which spends a quota): the download must hold valid IPs, and not far
     * fewer than the last good run.
     */
    public void checkListed(@Header(LISTED_HEADER) Listed listed,
                            @ExchangeProperty(FeedRun.PROPERTY) FeedRun run) {
        check(run, listed.ips(), listed.rejected());
    }

    private static void check(FeedRun run, int now, long rejected) {
        if (now == 0) {
            throw new BrokenFeedException(run.feed() + ": no valid IP in the download ("
                    + rejected + " lines rejected); refused, nothing delisted");
        }
        int before = run.previous().size();
        if (run.sameSourceAsBefore() && before > 0 && now < run.policy().minSizeRatio() * before) {
            throw new BrokenFeedException(String.format(
                    "%s: %d IPs in the download against %d last time, less than %.0f%%; refused as broken, "
                            + "nothing delisted", run.feed(), now, before, run.policy().minSizeRatio() * 100));
        }
    }
}
