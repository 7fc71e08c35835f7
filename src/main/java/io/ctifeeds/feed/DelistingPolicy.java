package io.ctifeeds.feed;

import java.util.Locale;

/** What happens to the indicator of an IP that left the feed. */
public enum DelistingPolicy {
    /** re-send the indicator with revoked: true */
    REVOKE,
    /** re-send the indicator with valid_until set to now, so OpenCTI's decay retires it */
    EXPIRE,
    /** send nothing; the indicator lives until its own valid_until */
    KEEP;

    public static DelistingPolicy fromConfig(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("'" + value + "': expected revoke, expire or keep");
        }
    }
}
