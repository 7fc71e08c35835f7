package io.ctifeeds.feed;

import java.time.Duration;

/**
 * The per-feed rules the generic run machinery applies.
 *
 * @param minSizeRatio a download smaller than this fraction of the last good one is refused as broken
 * @param refreshAfter an unchanged IP is re-sent once this long has passed since it was last sent, so its
 *                     indicator never runs out while the IP stays listed
 * @param delisting    what to do with IPs that left the feed
 */
public record FeedPolicy(double minSizeRatio, Duration refreshAfter, DelistingPolicy delisting) {
}
