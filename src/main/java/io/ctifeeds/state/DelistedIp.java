package io.ctifeeds.state;

/** An IP that left the feed, with what was last delivered for it. */
public record DelistedIp(String ip, SnapshotEntry lastDelivered) {
}
