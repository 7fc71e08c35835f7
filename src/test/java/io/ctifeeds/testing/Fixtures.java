package io.ctifeeds.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fixtures the tests and benchmarks read (real IPsum files, CrowdSec answers, public blocklists): the files under
 * {@code src/test/resources/fixtures}, each folder with a README that says where they come from. Read by path, since
 * the tests and the bench scripts both run from the repository root.
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path path(String relative) {
        return Path.of("src", "test", "resources", "fixtures").resolve(relative);
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
