package io.ctifeeds.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.AMQP;
import io.ctifeeds.feed.FeedRun.Counter;
import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.FeedServer;
import io.ctifeeds.testing.PushQueue;
import io.ctifeeds.testing.Fixtures;
import io.ctifeeds.testing.TestApp;

/**
 * Benchmark of the delivery to OpenCTI over AMQP: a full IPsum run (levels/1.txt, 120,430 IPs, about 361,000
 * one-object messages) published to this machine's RabbitMQ through the real routes, against a fake
 * platform; then RabbitMQ PerfTest with the same message count and size, persistence and publisher
 * confirms, as the broker's own ceiling. Run with {@code bench/opencti.sh}; not part of {@code mvn test}.
 */
public final class OpenCtiBenchmark {

    static final double TARGET_FRACTION = 0.7;
    private static final Pattern PERFTEST_RATE = Pattern.compile("sending rate avg: (\\d+) msg/s");

    private OpenCtiBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        String perfTestClasspath = System.getProperty("bench.perftest.classpath");
        Path work = Files.createTempDirectory("cti-opencti-bench");
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (FeedServer feed = new FeedServer(); FakeOpenCti platform = FakeOpenCti.start();
             Connection rabbit = factory.newConnection("benchmark"); Channel channel = rabbit.createChannel()) {
            System.out.println("warm-up: levels/5.txt (1,413 IPs), not measured");
            feed.serve(Fixtures.bytes("ipsum/levels_5.txt"));
            run(feed, platform, work.resolve("warm-up"));

            feed.serve(Fixtures.bytes("ipsum/levels_1.txt"));
            Measured ours = run(feed, platform, work.resolve("measured"));
            double rate = ours.messages / ours.seconds;
            System.out.printf("cti-feeds: %,d messages in %.2f s end to end (download, parse, map, split, publish "
                    + "with confirms): %,.0f msg/s, %.1f MB/s, average message %,d bytes, peak heap %.1f MB "
                    + "of %.0f MB%n", ours.messages, ours.seconds, rate, ours.bytes / 1e6 / ours.seconds,
                    ours.bytes / Math.max(1, ours.messages), ours.peakHeap / 1048576.0,
                    Runtime.getRuntime().maxMemory() / 1048576.0);
            if (perfTestClasspath == null) {
                System.out.println("PerfTest: skipped (no -Dbench.perftest.classpath)");
                return;
            }
            long perfTest = perfTest(perfTestClasspath, ours.messages, (int) (ours.bytes / ours.messages), channel);
            double fraction = rate / perfTest;
            System.out.printf("PerfTest (1 producer, persistent, confirms, %,d messages of %,d bytes): %,d msg/s%n",
                    ours.messages, ours.bytes / ours.messages, perfTest);
            System.out.printf("cti-feeds / PerfTest = %.2f (target >= %.1f): %s%n", fraction, TARGET_FRACTION,
                    fraction >= TARGET_FRACTION ? "MET" : "MISSED");
        }
    }

    record Measured(long messages, double seconds, long bytes, long peakHeap) {
    }

    private static Measured run(FeedServer feed, FakeOpenCti platform, Path data) throws Exception {
        String connectorId = UUID.randomUUID().toString();
        try (PushQueue queue = new PushQueue(connectorId);
             TestApp app = new TestApp(data, Map.of("connector.ipsum.api-base-url", feed.url("/levels/1.txt"),
                     "opencti.url", platform.url(), "opencti.token", platform.token(), "connector.id", connectorId,
                     "connector.log-level", "warn")).start()) {
            TimedRun timed = TimedRun.of(app, "ipsum");
            long messages = timed.run().count(Counter.MESSAGES);
            long bytes = drain(queue.channel(), queue.name(), messages);
            return new Measured(messages, timed.seconds(), bytes, timed.peakHeap());
        }
    }

    /** Consumes the queue and checks it holds exactly the messages the run reported; returns their bytes. */
    private static long drain(Channel channel, String queue, long expected) throws Exception {
        AtomicLong count = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        channel.basicQos(2000);
        String tag = channel.basicConsume(queue, true, new DefaultConsumer(channel) {
            @Override
            public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                       byte[] body) {
                bytes.addAndGet(body.length);
                if (count.incrementAndGet() == expected) {
                    done.countDown();
                }
            }
        });
        if (!done.await(300, TimeUnit.SECONDS)) {
            throw new IllegalStateException("only " + count.get() + " of " + expected + " messages reached the queue");
        }
        channel.basicCancel(tag);
        return bytes.get();
    }

    private static long perfTest(String classpath, long messages, int size, Channel channel) throws Exception {
        String queue = "cti-bench-perftest";
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-cp", classpath, "com.rabbitmq.perf.PerfTest", "-x", "1", "-y", "0",
                "-u", queue, "-ad", "false", "-f", "persistent", "-s", Integer.toString(size), "-c", "1000",
                "-C", Long.toString(messages)).redirectErrorStream(true).start();
        long rate = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                Matcher m = PERFTEST_RATE.matcher(line);
                if (m.find()) {
                    rate = Long.parseLong(m.group(1));
                }
            }
        } finally {
            p.waitFor(60, TimeUnit.SECONDS);
            channel.queueDelete(queue);
        }
        if (rate <= 0) {
            throw new IllegalStateException("PerfTest printed no sending rate");
        }
        return rate;
    }
}
