package io.ctifeeds.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real file system that fills up: a tmpfs of a chosen size mounted on a temporary folder, so the kernel itself
 * answers ENOSPC ("No space left on device") exactly as a full data volume would. It can grow while mounted (the
 * operator freeing space). Mounting needs root (CAP_SYS_ADMIN); without it the test is skipped, and says why.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path mountPoint;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    public static SmallDisk mount(Path under, long bytes) throws IOException, InterruptedException {
        Path point = Files.createDirectories(under.resolve("small-disk"));
        String failure = sh("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", point.toString());
        Assumptions.assumeTrue(failure == null, "cannot mount a tmpfs here (needs root): " + failure);
        return new SmallDisk(point);
    }

    public Path path() {
        return mountPoint;
    }

    /** Gives the disk a new size (the operator freeing space), keeping its files. */
    public void resize(long bytes) throws IOException, InterruptedException {
        String failure = sh("mount", "-o", "remount,size=" + bytes, mountPoint.toString());
        if (failure != null) {
            throw new IOException("cannot resize " + mountPoint + ": " + failure);
        }
    }

    /** Takes every free byte with a filler file, as other writers on a shared volume would. */
    public void fill() throws IOException {
        byte[] chunk = new byte[4096];
        try (var out = Files.newOutputStream(filler())) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (free() > 0) {
                throw e;
            }
        }
    }

    /** Frees what {@link #fill()} took. */
    public void unfill() throws IOException {
        Files.deleteIfExists(filler());
    }

    private Path filler() {
        return mountPoint.resolve("filler");
    }

    public long free() throws IOException {
        return Files.getFileStore(mountPoint).getUsableSpace();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        String failure = sh("umount", "-l", mountPoint.toString());
        if (failure != null) {
            throw new IOException("cannot unmount " + mountPoint + ": " + failure);
        }
    }

    /** Runs a command; null when it succeeded, else what it said. */
    private static String sh(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return String.join(" ", command) + " did not finish";
        }
        String output = new String(process.getInputStream().readAllBytes()).strip();
        return process.exitValue() == 0 ? null : output + " (exit " + process.exitValue() + ")";
    }
}
