package io.ctifeeds.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ctifeeds.testing.AppProcess;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the image runs, without a Docker engine: the runtime stage of the Dockerfile is read (WORKDIR, its COPY
 * lines, ENTRYPOINT, HEALTHCHECK) and laid out in a folder as the image would hold it (the jar and lib/ as
 * `mvn package` makes them, routes/ and application.properties), then its ENTRYPOINT runs from there as a
 * separate JVM. It must answer its HEALTHCHECK, read the mounted application.properties, keep its data in
 * the data/ volume, and stop cleanly on SIGTERM: exit status 0 and Camel's shutdown lines.
 */
class ContainerLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    /** The instructions of the Dockerfile's last stage, continuation lines joined. */
    private static List<String> runtimeStage() throws IOException {
        String text = Files.readString(Path.of("Dockerfile")).replace("\\\n", " ");
        List<String> stage = new ArrayList<>();
        for (String line : text.lines().map(String::strip).toList()) {
            if (line.startsWith("FROM ")) {
                stage.clear();
            }
            if (!line.isEmpty() && !line.startsWith("#")) {
                stage.add(line);
            }
        }
        return stage;
    }

    private static String instruction(List<String> stage, String name) {
        return stage.stream().filter(l -> l.startsWith(name + " ")).reduce((a, b) -> b)
                .map(l -> l.substring(name.length() + 1).strip())
                .orElseThrow(() -> new AssertionError("no " + name + " in the Dockerfile's runtime stage"));
    }

    /** An exec-form JSON array, with /app/ paths moved into the layout and java being this JVM's. */
    private static List<String> command(String json, String workdir, Path layout) throws IOException {
        List<String> out = new ArrayList<>();
        for (var node : JSON.readTree(json)) {
            String arg = node.asText();
            out.add(arg.equals("java") ? AppProcess.java()
                    : arg.startsWith(workdir + "/") ? layout.resolve(arg.substring(workdir.length() + 1)).toString()
                    : arg);
        }
        return out;
    }

    /** target/ as `mvn package` leaves it: cti-feeds.jar (manifest class path lib/...) and lib/. */
    private Path packageTarget() throws IOException {
        Path target = Files.createDirectories(dir.resolve("target"));
        Path lib = Files.createDirectories(target.resolve("lib"));
        List<String> classPath = new ArrayList<>();
        String runtime = Files.readString(Path.of("target/runtime-classpath.txt")).strip();
        for (String jar : runtime.split(File.pathSeparator)) {
            Path source = Path.of(jar);
            Files.copy(source, lib.resolve(source.getFileName().toString()));
            classPath.add("lib/" + source.getFileName());
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "io.ctifeeds.CtiFeedsApplication");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
        Path classes = Path.of("target/classes");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(target.resolve("cti-feeds.jar")),
                manifest); Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(p -> !p.equals(classes)).sorted().toList()) {
                String name = classes.relativize(file).toString().replace(File.separatorChar, '/');
                // directory entries too, as the jar plugin writes them: Camel's package scan looks for them
                jar.putNextEntry(new JarEntry(Files.isDirectory(file) ? name + "/" : name));
                if (Files.isRegularFile(file)) {
                    Files.copy(file, (OutputStream) jar);
                }
                jar.closeEntry();
            }
        }
        return target;
    }

    /** Follows the runtime stage's COPY lines: from the build stage's target/, or from the project. */
    private Path layOut(List<String> stage, String workdir) throws IOException {
        Path target = packageTarget();
        Path layout = Files.createDirectories(dir.resolve("app"));
        for (String copy : stage.stream().filter(l -> l.startsWith("COPY ")).toList()) {
            List<String> parts = List.of(copy.substring(5).strip().split("\\s+"));
            boolean fromBuild = parts.get(0).startsWith("--from=");
            List<String> args = fromBuild ? parts.subList(1, parts.size()) : parts;
            String source = args.get(0);
            Path from = fromBuild ? target.resolve(source.substring(source.indexOf("/target/") + 8)) : Path.of(source);
            String destination = args.get(1).startsWith(workdir) ? args.get(1).substring(workdir.length())
                    : args.get(1);
            Path to = layout.resolve(destination.replaceFirst("^\\./", "").replaceFirst("^/", ""));
            if (Files.isDirectory(from)) {
                copyTree(from, to);
            } else {
                Files.copy(from, Files.isDirectory(to) ? to.resolve(from.getFileName()) : to);
            }
        }
        return layout;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path copy = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
    }

    private static int healthCheck(List<String> command, int port, Path log) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("CAMEL_SERVER_PORT", Integer.toString(port));
        Process probe = pb.start();
        assertTrue(probe.waitFor(60, TimeUnit.SECONDS), "the HEALTHCHECK command hung");
        return probe.exitValue();
    }

    @Test
    void theImageLayoutStartsAnswersItsHealthCheckAndStopsCleanlyOnSigterm() throws Exception {
        List<String> stage = runtimeStage();
        String workdir = instruction(stage, "WORKDIR");
        assertEquals("/app", workdir);
        assertTrue(instruction(stage, "VOLUME").contains(workdir + "/data"), "data/ is the volume");
        assertTrue(stage.stream().anyMatch(l -> l.startsWith("USER ") && !l.endsWith(" root") && !l.endsWith(" 0")),
                "runs as a non-root user");
        Path layout = layOut(stage, workdir);
        for (String part : List.of("cti-feeds.jar", "lib", "routes/ipsum.camel.yaml", "application.properties")) {
            assertTrue(Files.exists(layout.resolve(part)), part + " is not where the image has it");
        }
        String healthCheck = instruction(stage, "HEALTHCHECK");
        List<String> probe = command(healthCheck.substring(healthCheck.indexOf("CMD ") + 4), workdir, layout);

        try (FeedServer feed = new FeedServer()) {
            feed.serve(Fixtures.bytes("ipsum/levels_8.txt"));
            // a mounted application.properties: the feed URL comes from it, not from the jar's copy
            Path properties = layout.resolve("application.properties");
            String mounted = Files.readString(properties).replaceFirst("(?m)^connector\\.ipsum\\.api-base-url\\s*=.*$",
                    "connector.ipsum.api-base-url = " + feed.url("/levels/8.txt"));
            assertTrue(mounted.contains(feed.url("/levels/8.txt")), mounted);
            Files.writeString(properties, mounted);
            Path log = dir.resolve("container.log");
            try (AppProcess app = AppProcess.start(command(instruction(stage, "ENTRYPOINT"), workdir, layout),
                    layout, Map.of(), log)) {
                app.awaitHealthy(WAIT);
                Path probeLog = dir.resolve("healthcheck.log");
                assertEquals(0, healthCheck(probe, app.port(), probeLog), Files.readString(probeLog));
                assertTrue(Files.readString(probeLog).startsWith("200 "), Files.readString(probeLog));

                // the first run starts at start-up, reads the mounted file's URL and writes into the volume
                String output = app.awaitLog(WAIT, "source: " + feed.url("/levels/8.txt"), "ipsum run ipsum-");
                assertTrue(output.contains("succeeded: fetched=23"), output);
                try (Stream<Path> bundles = Files.list(layout.resolve("data/bundles"))) {
                    assertEquals(1, bundles.filter(p -> p.toString().endsWith(".json")).count());
                }
                assertEquals(200, Http.get(app.baseUrl() + "/observe/metrics").status());

                assertEquals(0, app.terminate(WAIT), app.log());
                output = app.log();
                assertTrue(output.contains("SIGTERM received: stopping"), output);
                assertTrue(output.contains("Apache Camel 4.18.0 (cti-feeds) shutdown in"), output);
                assertTrue(output.contains("Apache Camel (Main) 4.18.0 shutdown"), output);
                // and the HEALTHCHECK says so once it is gone
                assertEquals(1, healthCheck(probe, app.port(), probeLog));
            }
        }
        assertEquals("8080", instruction(stage, "EXPOSE"), "the port CAMEL_SERVER_PORT defaults to");
    }
}
