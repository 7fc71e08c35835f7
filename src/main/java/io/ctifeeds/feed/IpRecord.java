package io.ctifeeds.feed;

import io.ctifeeds.ip.IpAddress;

/**
 * One validated IP of a feed, the body that flows from parsing to mapping.
 *
 * @param ip    validated, canonical address (the only thing a STIX pattern is ever built from)
 * @param count the feed's occurrence count, or null when the feed carries none
 * @param score the x_opencti_score this record gets
 */
public record IpRecord(IpAddress ip, Integer count, int score) {
}
