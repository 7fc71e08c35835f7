package io.ctifeeds.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The application as a separate JVM, as a user or a container starts it: its own working directory, settings
 * as environment variables only (the runner's CONNECTOR_, OPENCTI_, CAMEL_, MQ_ and CROWDSEC_ variables removed), its
 * HTTP server on a free port, its output in a log file.
 */
public final class AppProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final int port;

    private AppProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** The java of this JVM running the main class from the test class path. */
    public static List<String> mainClass() {
        return List.of(java(), "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "io.ctifeeds.CtiFeedsApplication");
    }

    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    public static AppProcess start(List<String> command, Path workingDirectory, Map<String, String> env, Path log)
            throws IOException {
        int port = Http.freePort();
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
        pb.directory(workingDirectory.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CONNECTOR_") || k.startsWith("OPENCTI_")
                || k.startsWith("CAMEL_") || k.startsWith("MQ_") || k.startsWith("CROWDSEC_"));
        pb.environment().put("CAMEL_SERVER_PORT", Integer.toString(port));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new AppProcess(pb.start(), log, port);
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String log() throws IOException {
        return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    }

    /** Waits until the output holds every one of these texts; fails with the output otherwise. */
    public String awaitLog(Duration timeout, String... texts) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String output = log();
            if (List.of(texts).stream().allMatch(output::contains)) {
                return output;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("expected " + List.of(texts) + " in the output"
                        + (process.isAlive() ? "" : " (the process exited " + process.exitValue() + ")")
                        + ":\n" + output);
            }
            Thread.sleep(50);
        }
    }

    /** Waits until at least {@code count} lines of the output hold the text. */
    public String awaitLines(Duration timeout, String text, int count) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String output = log();
            if (output.lines().filter(l -> l.contains(text)).count() >= count) {
                return output;
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " lines with '" + text + "':\n" + output);
            }
            Thread.sleep(50);
        }
    }

    /** Waits until /observe/health answers 200. */
    public void awaitHealthy(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (Http.get(baseUrl() + "/observe/health").status() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the server is not up yet
            }
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("never healthy:\n" + log());
            }
            Thread.sleep(100);
        }
    }

    /** The exit status once the application has stopped by itself. */
    public int waitFor(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running after " + timeout + ":\n" + log());
        }
        return process.exitValue();
    }

    /** SIGTERM, as docker stop sends it, then the exit status. */
    public int terminate(Duration timeout) throws Exception {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("still running " + timeout + " after SIGTERM:\n" + log());
        }
        return process.exitValue();
    }

    /** SIGKILL, as a crash or an OOM killer ends a process: nothing of it runs any more. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
