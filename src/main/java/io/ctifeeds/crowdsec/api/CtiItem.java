package io.ctifeeds.crowdsec.api;

import java.util.Objects;

/** One CTI object, classified by {@link CtiParser#parse}. */
public sealed interface CtiItem {

    /** Usable: it has a valid IP. Unusable fields are listed in the record, not fatal. */
    record Parsed(CtiRecord record) implements CtiItem {
        public Parsed {
            Objects.requireNonNull(record, "record");
        }
    }

    /**
     * Not usable at all: not a JSON object, or no valid IP. The reason never echoes the input (it is
     * untrusted), so it is safe to log as is.
     */
    record Rejected(String reason) implements CtiItem {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
