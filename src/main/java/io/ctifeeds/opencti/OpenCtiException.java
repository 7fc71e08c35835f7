package io.ctifeeds.opencti;

/**
 * The platform did not do what was asked. The message is one line a user can act on and never holds the
 * token. {@link #isFatal()} marks answers that retrying cannot fix (a refused token, an unknown connector).
 */
public class OpenCtiException extends RuntimeException {

    private final boolean fatal;

    public OpenCtiException(String message, boolean fatal) {
        super(message);
        this.fatal = fatal;
    }

    public OpenCtiException(String message, boolean fatal, Throwable cause) {
        super(message, cause);
        this.fatal = fatal;
    }

    public boolean isFatal() {
        return fatal;
    }
}
