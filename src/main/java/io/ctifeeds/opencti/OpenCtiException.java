package io.ctifeeds.opencti;

import io.ctifeeds.display.LogText;

/**
 * The platform did not do what was asked. The message is one line a user can act on, of bounded length
 * (whatever the platform answered), and never holds the token. {@link #isFatal()} marks answers that retrying cannot fix (a refused token, an unknown connector).
 */
public class OpenCtiException extends RuntimeException {

    /** The longest message, in characters: what the platform says is cut well before. */
    public static final int MAX_MESSAGE = 1000;

    private final boolean fatal;

    public OpenCtiException(String message, boolean fatal) {
        super(LogText.oneLine(message, MAX_MESSAGE));
        this.fatal = fatal;
    }

    public OpenCtiException(String message, boolean fatal, Throwable cause) {
        super(LogText.oneLine(message, MAX_MESSAGE), cause);
        this.fatal = fatal;
    }

    public boolean isFatal() {
        return fatal;
    }
}
