package io.ctifeeds.iplist;

import io.ctifeeds.ip.IpValue;
import java.util.Objects;

/**
 * One line of an IP list, classified.
 *
 * <p>One parser reads what public lists serve: one IP or CIDR block a line (FireHOL {@code .ipset} and
 * {@code .netset}, Emerging Threats, IPsum's {@code levels/N.txt}), {@code IP<TAB>count} (IPsum's
 * {@code ipsum.txt}), {@code #} and {@code ;} comment lines and trailing comments ({@code 1.10.16.0/20 ; SBL256894},
 * Spamhaus DROP). Non-public addresses and the width of a block are not judged here; those are the feed's
 * configurable decisions.
 */
public sealed interface ListLine {

    /**
     * A feed entry.
     *
     * @param ip    the canonical address or CIDR block
     * @param count number of blacklists that name the IP (&ge; 1), or null for the
     *              lists that carry none
     */
    record Entry(IpValue ip, Integer count) implements ListLine {
        public Entry {
            Objects.requireNonNull(ip, "ip");
            if (count != null && count < 1) {
                throw new IllegalArgumentException("count must be >= 1");
            }
        }
    }

    /** A comment ('#' or ';') or blank line. */
    record Ignored() implements ListLine {
    }

    /**
     * A line that is neither an entry nor a comment.
     *
     * @param reason short explanation
     * @param sample the start of the line (about 80 characters, "..." when cut) with control,
     *               non-ASCII and backslash characters escaped, so it is safe to log
     */
    record Rejected(String reason, String sample) implements ListLine {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(sample, "sample");
        }
    }

    /**
     * Classifies one line (without its LF; a trailing CR, surrounding whitespace and a UTF-8
     * BOM are tolerated). Never throws: every input, including null, maps to a result.
     */
    static ListLine parse(String line) {
        return ListLineParser.parse(line);
    }
}
