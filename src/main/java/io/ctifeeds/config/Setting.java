package io.ctifeeds.config;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * One configuration key and the check its value must pass.
 *
 * @param key    the application.properties key
 * @param secret never echo the value
 * @param check  throws IllegalArgumentException with what is expected; gets the trimmed value ("" if unset)
 */
public record Setting(String key, boolean secret, Consumer<String> check) {

    /** The environment variable that overrides the key, as Camel maps it (the names of the seed connectors). */
    public String environmentVariable() {
        return environmentVariable(key);
    }

    /** The environment variable that overrides this application.properties key, as Camel maps it. */
    public static String environmentVariable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public String describe(String value, String problem) {
        String shown = secret ? "(secret, not shown)" : "'" + value + "'";
        return "Invalid configuration: " + environmentVariable() + " (" + key + ") = " + shown + ": " + problem;
    }
}
