package io.ctifeeds.state;

/** One delivered IP: the score it was sent with and when (epoch seconds) it was last sent. */
public record SnapshotEntry(int score, long sentEpochSecond) {
}
