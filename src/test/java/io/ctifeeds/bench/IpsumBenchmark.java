package io.ctifeeds.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.ctifeeds.config.LogLevels;
import io.ctifeeds.feed.FeedRun;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.TestApp;

/**
 * Benchmark of the IPsum pipeline end to end: the real application (routes/*.yaml, application.properties)
 * booted in-process by {@link TestApp}, the feed served over HTTP by {@link FeedServer}, bundles written by the
 * directory sink. Not a unit test (no timing assertion runs in {@code mvn test}); run it with
 * {@code bench/ipsum.sh}, which sets the heap limit, from the repository root.
 * <p>
 * Scenarios, after a warm-up run ({@code levels/1.txt}, first run) on a data folder of its own, each run in an
 * application booted for it (boot and shutdown not timed):
 * <ol>
 *   <li>{@code levels/1.txt} (120,430 IPs), first run: every IP is new;</li>
 *   <li>the same IPs as {@code ipsum.txt} (header + {@code IP<TAB>count}), first run in a fresh data folder;</li>
 *   <li>(2) again, unchanged, from a server without ETag/Last-Modified: the whole feed is downloaded and
 *       parsed, the delta emits nothing;</li>
 *   <li>(2) again, unchanged, with validators: one conditional GET answered 304 (after an uncounted run that
 *       stores the ETag again, since the server of run 3 sent none).</li>
 * </ol>
 * Peak heap is the sum of the peak usage of every heap memory pool (reset before each run, after a full GC),
 * an upper bound of the real peak; "live" is the largest heap left after any collection during the run.
 * <p>
 * "CPU s" is the CPU time of the whole process during the run (every thread, the collector's too): when it is
 * well below the wall time, the machine was busy with something else.
 * <p>
 * The list is the repository's fixture, src/test/resources/fixtures/ipsum/levels_1.txt. System properties:
 * {@code bench.dir} (where the temporary data folders go, default {@code java.io.tmpdir}), {@code bench.keep=true}
 * (keep them), {@code bench.warmups} (warm-up runs, default 1).
 */
public final class IpsumBenchmark {

    static final int TARGET_IPS_PER_SECOND = 50_000;
    static final long TARGET_HEAP_BYTES = 256L * 1024 * 1024;
    static final double TARGET_UNCHANGED_SECONDS = 1.0;

    /** The count distribution of the real ipsum.txt (fixtures README), count 10 down to 1. */
    static final int[][] COUNT_DISTRIBUTION = {
        {10, 3}, {9, 6}, {8, 14}, {7, 47}, {6, 248}, {5, 1095}, {4, 3941}, {3, 8863}, {2, 16556}, {1, 89657},
    };

    static final String IPSUM_HEADER = """
            # IPsum Threat Intelligence Feed
            # (https://github.com/stamparm/ipsum)
            #
            # Last update: Sat, 22 Aug 2026 03:00:29 +0200
            #
            # IP\tnumber of (black)lists
            #
            """;

    private static final PrintStream OUT = System.out;

    /** One measured run. */
    record Result(String name, long fetched, long objects, long bundles, double seconds, double cpuSeconds,
                  long bundleBytes, long peakHeap, long liveAfterGc, int gcCount, long gcMillis) {

        double ipsPerSecond() {
            return fetched() / seconds;
        }
    }

    private final Path root;
    private final FeedServer server;
    private final HeapMeter heap = new HeapMeter();
    private final List<Result> results = new ArrayList<>();

    private IpsumBenchmark(Path root, FeedServer server) {
        this.root = root;
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        // as the application's main(): CONNECTOR_LOG_LEVEL (or -Dconnector.log-level) before the first logger
        LogLevels.apply();
        byte[] levels1 = Fixtures.bytes("ipsum/levels_1.txt");
        byte[] ipsumTxt = ipsumTxt(levels1);
        Path base = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(base);
        Path root = Files.createTempDirectory(base, "ipsum-bench-");
        boolean ok;
        try (FeedServer server = new FeedServer()) {
            IpsumBenchmark bench = new IpsumBenchmark(root, server);
            printSetup(levels1, ipsumTxt, root);
            ok = bench.runAll(levels1, ipsumTxt);
        } finally {
            if (!Boolean.getBoolean("bench.keep")) {
                deleteTree(root);
            }
        }
        System.exit(ok ? 0 : 1);
    }

    private boolean runAll(byte[] levels1, byte[] ipsumTxt) throws Exception {
        String levelsUrl = server.url("/levels/1.txt");
        String ipsumUrl = server.url("/ipsum.txt");

        // warm-up: the JIT compiles the parse/delta/map/bundle/write path; not counted. Its figures are those of
        // a cold JVM, as in a run-and-terminate container
        server.validators(true);
        server.serve(levels1);
        int warmups = Integer.getInteger("bench.warmups", 1);
        for (int i = 1; i <= warmups; i++) {
            measure("warm-up " + i + " (levels/1.txt, first run; not counted)", "warmup-" + i, levelsUrl, false);
        }

        measure("1 levels/1.txt, first run", "levels", levelsUrl, true);

        server.serve(ipsumTxt);
        measure("2 ipsum.txt, first run", "ipsum", ipsumUrl, true);
        server.validators(false);
        measure("3 ipsum.txt, unchanged, no ETag", "ipsum", ipsumUrl, true);
        server.validators(true);
        // run 3 kept no validators (the server sent none): this run downloads once more and stores the ETag,
        // so that the next one is the conditional GET that run 4 is about
        measure("   (stores the ETag again; not counted)", "ipsum", ipsumUrl, false);
        measure("4 ipsum.txt, unchanged, 304", "ipsum", ipsumUrl, true);
        return printResults();
    }

    /**
     * One run in an application booted for it on the given data folder (state and snapshot on disk carry over
     * from the previous run there, as after a restart). A fresh application per run keeps the runs that
     * TestApp remembers from being counted in the next run's heap. Boot and shutdown are not timed.
     */
    private void measure(String name, String dataDir, String url, boolean counted) throws Exception {
        Result r;
        try (TestApp app = new TestApp(root.resolve(dataDir), Map.of("connector.ipsum.api-base-url", url))
                .start()) {
            app.clearBundles();
            heap.reset();
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            FeedRun run = app.run("ipsum");
            double seconds = (System.nanoTime() - t0) / 1e9;
            double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
            HeapMeter.Reading reading = heap.read();
            if (run.failed()) {
                throw new IllegalStateException(name + ": the run failed: " + run.failure());
            }
            long bytes = 0;
            long files = 0;
            for (Path p : app.bundleFiles()) {
                bytes += Files.size(p);
                files++;
            }
            if (files != run.count(Counter.BUNDLES)) {
                throw new IllegalStateException(name + ": " + files + " bundle files but "
                        + run.count(Counter.BUNDLES) + " bundles delivered");
            }
            r = new Result(name, run.count(Counter.FETCHED), run.count(Counter.OBJECTS), run.count(Counter.BUNDLES),
                    seconds, cpuSeconds, bytes, reading.peak(), reading.liveAfterGc(), reading.gcCount(),
                    reading.gcMillis());
            app.clearBundles();
        }
        if (counted) {
            results.add(r);
        }
        OUT.printf("%-48s %s%n", name, brief(r));
    }

    private static String brief(Result r) {
        return String.format("%,9d IPs %7.3f s (CPU %6.2f s) %,9.0f IPs/s %,7d objects %4d bundles "
                        + "%6.1f MB written, peak heap %5.1f MB",
                r.fetched(), r.seconds(), r.cpuSeconds(), r.ipsPerSecond(), r.objects(),
                r.bundles(), mb(r.bundleBytes()), mb(r.peakHeap()));
    }

    private boolean printResults() {
        long maxHeap = Runtime.getRuntime().maxMemory();
        OUT.println();
        OUT.printf("%-34s %9s %8s %8s %8s %8s %7s %12s %8s %8s %5s %6s%n", "run", "IPs", "seconds", "IPs/s",
                "CPU s", "objects", "bundles", "bytes", "peak MB", "live MB", "GCs", "GC ms");
        for (Result r : results) {
            OUT.printf("%-34s %,9d %8.3f %,8.0f %8.2f %,8d %7d %,12d %8.1f %8.1f %5d %6d%n", r.name(), r.fetched(),
                    r.seconds(), r.ipsPerSecond(), r.cpuSeconds(), r.objects(), r.bundles(),
                    r.bundleBytes(), mb(r.peakHeap()), mb(r.liveAfterGc()), r.gcCount(), r.gcMillis());
        }
        OUT.println();
        OUT.printf("heap: max (-Xmx) %.1f MB, GC %s; peak = sum of heap pool peaks (upper bound), "
                + "live = largest heap after a GC%n", mb(maxHeap), gcNames());

        Result levels = results.get(0);
        Result ipsum = results.get(1);
        Result unchanged = results.get(2);
        double slowest = Math.min(levels.ipsPerSecond(), ipsum.ipsPerSecond());
        boolean throughputOk = slowest >= TARGET_IPS_PER_SECOND;
        long peak = results.stream().mapToLong(Result::peakHeap).max().orElse(0);
        boolean heapOk = maxHeap <= TARGET_HEAP_BYTES && peak <= TARGET_HEAP_BYTES;
        boolean unchangedOk = unchanged.seconds() < TARGET_UNCHANGED_SECONDS
                && unchanged.objects() == 0 && unchanged.fetched() > 0;

        OUT.printf("VERDICT throughput  %s  first runs %,.0f and %,.0f IPs/s end to end (target >= %,d)%n",
                pass(throughputOk), levels.ipsPerSecond(), ipsum.ipsPerSecond(), TARGET_IPS_PER_SECOND);
        OUT.printf("VERDICT heap        %s  peak %.1f MB with max heap %.1f MB (target: never above %d MB)%n",
                pass(heapOk), mb(peak), mb(maxHeap), TARGET_HEAP_BYTES >> 20);
        OUT.printf("VERDICT unchanged   %s  full download + parse, %d objects, %.3f s (target < %.0f s)%n",
                pass(unchangedOk), unchanged.objects(), unchanged.seconds(),
                TARGET_UNCHANGED_SECONDS);
        return throughputOk && heapOk && unchangedOk;
    }

    private static String pass(boolean ok) {
        return ok ? "PASS" : "FAIL";
    }

    private static void printSetup(byte[] levels1, byte[] ipsumTxt, Path root) {
        Runtime rt = Runtime.getRuntime();
        OUT.printf("IPsum benchmark: levels/1.txt %,d bytes, synthetic ipsum.txt %,d bytes; Java %s, %d CPUs, "
                        + "max heap %.0f MB, GC %s%ndata folders under %s%n", levels1.length, ipsumTxt.length,
                System.getProperty("java.version"), rt.availableProcessors(), mb(rt.maxMemory()), gcNames(), root);
    }

    /**
     * ipsum.txt from levels/1.txt: the 7 header lines, then each IP with a count. levels/1.txt is ipsum.txt
     * filtered to count >= 1 in the same order, and ipsum.txt is sorted by count descending, so handing out the
     * real distribution from count 10 down reproduces the real file.
     */
    static byte[] ipsumTxt(byte[] levels1) {
        String[] ips = new String(levels1, StandardCharsets.US_ASCII).split("\n");
        int total = 0;
        for (int[] group : COUNT_DISTRIBUTION) {
            total += group[1];
        }
        if (ips.length != total) {
            throw new IllegalStateException("levels_1.txt has " + ips.length + " IPs, the distribution " + total);
        }
        StringBuilder out = new StringBuilder(levels1.length + 3 * ips.length + IPSUM_HEADER.length());
        out.append(IPSUM_HEADER);
        int i = 0;
        for (int[] group : COUNT_DISTRIBUTION) {
            for (int n = 0; n < group[1]; n++) {
                out.append(ips[i++]).append('\t').append(group[0]).append('\n');
            }
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** CPU time of the whole process (every thread, the collector's too), to tell slowness from a busy machine. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    private static String gcNames() {
        return String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).toList());
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * Peak heap of a run from the heap pools' peak usage (reset at the start of a run), and the largest heap
     * left after a collection, from the collectors' notifications.
     */
    static final class HeapMeter implements NotificationListener {

        record Reading(long peak, long liveAfterGc, int gcCount, long gcMillis) {
        }

        private final List<MemoryPoolMXBean> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        private final AtomicLong liveAfterGc = new AtomicLong();
        private final AtomicLong gcCount = new AtomicLong();
        private final AtomicLong gcMillis = new AtomicLong();
        private volatile boolean counting;

        HeapMeter() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener(this, null, null);
            }
        }

        /** A full GC first, so that garbage of the previous run is not counted in this one. */
        void reset() throws InterruptedException {
            counting = false;
            System.gc();
            Thread.sleep(50); // let the notifications of that GC pass
            heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
            liveAfterGc.set(heapPools.stream().mapToLong(p -> p.getUsage().getUsed()).sum());
            gcCount.set(0);
            gcMillis.set(0);
            counting = true;
        }

        Reading read() throws InterruptedException {
            Thread.sleep(20);
            counting = false;
            long peak = heapPools.stream().map(MemoryPoolMXBean::getPeakUsage).mapToLong(MemoryUsage::getUsed).sum();
            return new Reading(peak, liveAfterGc.get(), (int) gcCount.get(), gcMillis.get());
        }

        @Override
        public void handleNotification(Notification notification, Object handback) {
            if (!counting || !GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                    .equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            // G1 also reports its concurrent cycle, which frees nothing by itself: count the pauses
            if (info.getGcName().contains("Concurrent")) {
                return;
            }
            long after = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.stream().anyMatch(p -> p.getName().equals(pool.getKey()))) {
                    after += pool.getValue().getUsed();
                }
            }
            liveAfterGc.accumulateAndGet(after, Math::max);
            gcCount.incrementAndGet();
            gcMillis.addAndGet(info.getGcInfo().getDuration());
        }
    }
}
