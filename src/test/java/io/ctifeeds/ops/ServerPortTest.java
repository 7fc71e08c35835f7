package io.ctifeeds.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.ctifeeds.testing.AppProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A port another process holds stops start-up with one line that names CAMEL_SERVER_PORT (status 2). */
class ServerPortTest {

    @TempDir
    Path data;

    @Test
    void aTakenPortStopsStartUpWithOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            Path log = data.resolve("app.log");
            try (AppProcess app = AppProcess.start(AppProcess.mainClass(), Path.of("").toAbsolutePath(), Map.of(
                    "CAMEL_SERVER_PORT", Integer.toString(taken.getLocalPort()),
                    "CONNECTOR_DATA_PATH", data.toString(), "CONNECTOR_IPSUM_ENABLED", "false"), log)) {
                assertEquals(2, app.waitFor(Duration.ofSeconds(60)), app.log());
                List<String> lines = app.log().lines().filter(l -> l.contains("CAMEL_SERVER_PORT")).toList();
                assertEquals(1, lines.size(), app.log());
                assertTrue(lines.get(0).contains("Invalid configuration: CAMEL_SERVER_PORT (camel.server.port) = '"
                        + taken.getLocalPort() + "'"), lines.get(0));
                assertFalse(app.log().contains("\tat "), "no stack trace:\n" + app.log());
            }
        }
    }
}
