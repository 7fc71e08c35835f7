package io.ctifeeds.feed;

import java.io.IOException;

/**
 * An upstream answer went past one of the bounds the connector keeps on what an upstream controls (its size on
 * the wire, decoded, a line's length, the time it takes). The message names the limit and the setting that
 * raises it. An IOException, so that the HTTP client drops the connection and its spooled copy as for a cut
 * transfer; never retried: the same source would answer the same.
 */
public class FetchLimitException extends IOException {

    public FetchLimitException(String message) {
        super(message);
    }
}
