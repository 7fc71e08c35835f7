package io.ctifeeds.state;

/**
 * One delivered IP: the score it was sent with, and a time in epoch seconds whose meaning is the feed's: IPsum
 * keeps when the IP was last sent (to refresh it before its indicator runs out), CrowdSec the report's
 * {@code last_seen} (a record with the same score and last_seen carries nothing new).
 */
public record SnapshotEntry(int score, long epochSecond) {
}
