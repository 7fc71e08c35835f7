package io.ctifeeds.ipsum;

import io.ctifeeds.ip.IpAddress;
import java.util.Objects;

/**
 * One line of an IPsum feed file, classified.
 *
 * <p>Both upstream formats are read by the same parser: {@code ipsum.txt} ("IP&lt;TAB&gt;count"
 * after '#' header lines) and {@code levels/N.txt} (one IP per line, no count). Non-public
 * addresses are not filtered here; that is the caller's configurable decision.
 */
public sealed interface IpsumLine {

    /**
     * A feed entry.
     *
     * @param ip    the canonical address
     * @param count number of blacklists that name the IP (&ge; 1), or null for the
     *              {@code levels/N.txt} format, which carries no count
     */
    record Entry(IpAddress ip, Integer count) implements IpsumLine {
        public Entry {
            Objects.requireNonNull(ip, "ip");
            if (count != null && count < 1) {
                throw new IllegalArgumentException("count must be >= 1");
            }
        }
    }

    /** A comment ('#') or blank line. */
    record Ignored() implements IpsumLine {
    }

    /**
     * A line that is neither an entry nor a comment.
     *
     * @param reason short explanation
     * @param sample the start of the line (about 80 characters, "..." when cut) with control,
     *               non-ASCII and backslash characters escaped, so it is safe to log
     */
    record Rejected(String reason, String sample) implements IpsumLine {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(sample, "sample");
        }
    }

    /**
     * Classifies one line (without its LF; a trailing CR, surrounding whitespace and a UTF-8
     * BOM are tolerated). Never throws: every input, including null, maps to a result.
     */
    static IpsumLine parse(String line) {
        return IpsumLineParser.parse(line);
    }
}
