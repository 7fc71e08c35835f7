package io.ctifeeds.config;

/** A setting that stops start-up; the message is the one line the user sees, naming the variable. */
public class ConfigurationError extends RuntimeException {
    public ConfigurationError(String message) {
        super(message);
    }
}
