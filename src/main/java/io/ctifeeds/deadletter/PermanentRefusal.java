package io.ctifeeds.deadletter;

/**
 * Marks a failure that the same letter would get again (the platform refused it for good), as opposed to an
 * outage: such a letter is set aside in rejected/ rather than holding back the letters behind it. A sink's
 * exceptions say so by implementing it, so that the dead letters need not know the sinks.
 */
public interface PermanentRefusal {
}
