package io.ctifeeds.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The shared fixtures (real IPsum files, CrowdSec answers), from ../shared/fixtures or -Dshared.dir. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path path(String relative) {
        return Path.of(System.getProperty("shared.dir", "../shared"), "fixtures", relative);
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the project's routes/ in {@code dir}/routes, for a test to edit as a user would. */
    public static Path copyOfRoutes(Path dir) throws IOException {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        try (java.util.stream.Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path f : files.toList()) {
                Files.copy(f, routes.resolve(f.getFileName()));
            }
        }
        return routes;
    }

    public static List<String> lines(String relative) {
        try {
            return Files.readAllLines(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
