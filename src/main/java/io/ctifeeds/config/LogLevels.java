package io.ctifeeds.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * Maps CONNECTOR_LOG_LEVEL onto slf4j-simple before the first logger is made (it reads its levels once).
 * debug turns on our own debug lines only: Camel's and the HTTP client's would drown them, and the HTTP
 * client's header log would print credentials.
 */
public final class LogLevels {

    private LogLevels() {
    }

    public static void apply() {
        String level = normalise(configuredLevel());
        setIfAbsent("org.slf4j.simpleLogger.log.io.ctifeeds", level);
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level.equals("debug") ? "info" : level);
    }

    static String normalise(String level) {
        String l = level == null ? "" : level.trim().toLowerCase(Locale.ROOT);
        return switch (l) {
            case "debug", "info", "warn", "error" -> l;
            case "warning" -> "warn";
            // an invalid value is reported by ConfigurationCheck, with the variable's name
            default -> "info";
        };
    }

    private static String configuredLevel() {
        String value = System.getProperty(ConnectorSettings.LOG_LEVEL);
        if (value == null) {
            value = System.getenv("CONNECTOR_LOG_LEVEL");
        }
        if (value == null) {
            value = fromFile(Path.of("application.properties"));
        }
        if (value == null) {
            try (InputStream in = LogLevels.class.getResourceAsStream("/application.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                    value = p.getProperty(ConnectorSettings.LOG_LEVEL);
                }
            } catch (IOException e) {
                value = null;
            }
        }
        return value;
    }

    private static String fromFile(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(ConnectorSettings.LOG_LEVEL);
        } catch (IOException e) {
            return null;
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
