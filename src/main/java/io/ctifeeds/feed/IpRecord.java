package io.ctifeeds.feed;

import io.ctifeeds.ip.IpValue;

/**
 * One validated IP of a feed, the body that flows from parsing to mapping.
 *
 * @param ip    validated, canonical address or CIDR block (the only thing a STIX pattern is ever built from)
 * @param count the feed's occurrence count, or null when the feed carries none
 * @param score the x_opencti_score this record gets
 */
public record IpRecord(IpValue ip, Integer count, int score) {
}
