package io.ctifeeds.state;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a feed remembers between runs besides its snapshot: the HTTP validators of the last good download
 * (for conditional requests), its size (to spot a broken download), and when it last ran.
 *
 * @param source         the feed URL without credentials; a change of source resets the size guard
 * @param etag           ETag of the last successfully processed download
 * @param lastModified   Last-Modified of the last successfully processed download
 * @param lastGoodBytes  size of the last successfully processed download
 * @param lastGoodCount  valid IPs in it
 * @param lastRun        start of the last run, whatever its outcome (ISO-8601)
 * @param lastSuccess    start of the last successful run (ISO-8601)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedState(String source, String etag, String lastModified, long lastGoodBytes, long lastGoodCount,
                        String lastRun, String lastSuccess) {

    public static final FeedState EMPTY = new FeedState(null, null, null, 0, 0, null, null);
}
