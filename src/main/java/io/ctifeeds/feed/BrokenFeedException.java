package io.ctifeeds.feed;

/** A download that cannot be the real feed (empty, HTML, far too small): the run stops, nothing is delisted. */
public class BrokenFeedException extends RuntimeException {
    public BrokenFeedException(String message) {
        super(message);
    }
}
