package io.ctifeeds.state;

/** How a record of this run compares with the last delivered snapshot. */
public enum DeltaKind {
    /** not delivered before: send */
    NEW,
    /** delivered with another score: send */
    CHANGED,
    /** unchanged, but sent so long ago that its indicator nears valid_until: send again */
    REFRESHED,
    /** delivered as it is: skip */
    UNCHANGED,
    /** a second line for an IP already seen in this run: skip */
    DUPLICATE;

    public boolean mustSend() {
        return this == NEW || this == CHANGED || this == REFRESHED;
    }
}
