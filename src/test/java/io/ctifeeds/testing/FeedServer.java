package io.ctifeeds.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A local stand-in for raw.githubusercontent.com: serves one feed body with an ETag and Last-Modified,
 * answers 304 to a matching If-None-Match, and can be told to misbehave (an error status, a truncated body)
 * for the next requests. Records every request's headers.
 */
public final class FeedServer implements AutoCloseable, AfterEachCallback {

    static {
        // read once, when the JVM makes its first HttpServer: without it every answer whose headers and body
        // go out in two writes waits for the client's delayed ACK (about 40 ms), which a real server does not
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** What the server answers to one request. */
    public sealed interface Reply {
        record Status(int code, String body) implements Reply {
        }

        /** Announces the full length, sends only the first {@code sent} bytes, then closes. */
        record Truncated(int sent) implements Reply {
        }

        /** The normal answer, after this long: a slow source. */
        record Delay(long millis) implements Reply {
        }

        /** Answers normally once {@code release} is counted down (at most a minute): a download in progress. */
        record Held(java.util.concurrent.CountDownLatch release) implements Reply {
        }

        /** This body, sent as is with {@code Content-Encoding: gzip}: a bomb when it decodes to a lot. */
        record Gzip(byte[] encoded) implements Reply {
        }

        /** {@code bytes} bytes of {@code line} repeated, chunked (no length), made as they go: a huge download. */
        record Endless(long bytes, String line) implements Reply {
        }

        /** The normal body, one byte every {@code millis} ms: a server that never quite stops. */
        record Trickle(long millis) implements Reply {
        }
    }

    /** Makes a gzip body of {@code copies} times {@code line}, without holding the decoded text. */
    public static byte[] gzip(String line, long copies) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int perChunk = Math.max(1, 65_536 / line.length());
        byte[] chunk = line.repeat(perChunk).getBytes(StandardCharsets.UTF_8);
        byte[] rest = line.repeat((int) (copies % perChunk)).getBytes(StandardCharsets.UTF_8);
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out, 65_536)) {
            for (long i = 0; i < copies / perChunk; i++) {
                gz.write(chunk);
            }
            gz.write(rest);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private final HttpServer server;
    private final List<Map<String, List<String>>> requests = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Reply> script = new ArrayDeque<>();
    private final java.util.concurrent.atomic.AtomicLong bodyBytesSent = new java.util.concurrent.atomic.AtomicLong();
    private volatile byte[] body = new byte[0];
    private volatile String contentType = "text/plain; charset=utf-8";
    private volatile boolean validators = true;
    private volatile int version;

    public FeedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        // a slow answer must not hold up the next client (a replica that takes over)
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "feed-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** A server serving this body; as a JUnit extension ({@code @RegisterExtension}), closed after each test. */
    public static FeedServer of(String body) {
        return of(body.getBytes(StandardCharsets.UTF_8));
    }

    public static FeedServer of(byte[] body) {
        FeedServer server = create();
        server.serve(body);
        return server;
    }

    /** A server serving nothing yet: the test's first {@code serve} is the feed's first version ("v1"). */
    public static FeedServer create() {
        try {
            return new FeedServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server serving these lines, as a list is served: one a line, each ended. */
    public static FeedServer ofLines(List<String> lines) {
        return of(String.join("\n", lines) + "\n");
    }

    /** A server serving this file of the test fixtures, as {@link #of(String)}. */
    public static FeedServer ofFixture(String fixture) {
        return of(Fixtures.bytes(fixture));
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Waits until at least this many requests came (a run reached the feed); fails the test otherwise. */
    public void awaitRequests(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (requests().size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the run never reached the feed: " + requests().size() + " of " + count
                        + " requests within " + timeout);
            }
            Thread.sleep(10);
        }
    }

    public synchronized void serve(byte[] content) {
        body = Objects.requireNonNull(content);
        version++;
    }

    public void serve(String content) {
        serve(content.getBytes(StandardCharsets.UTF_8));
    }

    /** Serves these lines from now on, one a line, each ended. */
    public void serveLines(List<String> lines) {
        serve(String.join("\n", lines) + "\n");
    }

    public void contentType(String type) {
        contentType = type;
    }

    /** false: no ETag/Last-Modified, as some mirrors do; every run then downloads the whole feed. */
    public void validators(boolean enabled) {
        validators = enabled;
    }

    /** The next requests get these replies, in order, before the normal answer resumes. */
    public synchronized void thenReply(Reply... replies) {
        script.addAll(List.of(replies));
    }

    /** Body bytes the client took of the scripted Endless and Trickle answers (the rest it refused to read). */
    public long bodyBytesSent() {
        return bodyBytesSent.get();
    }

    public List<Map<String, List<String>>> requests() {
        return List.copyOf(requests);
    }

    public String lastHeader(String name) {
        List<Map<String, List<String>>> all = requests();
        if (all.isEmpty()) {
            return null;
        }
        return all.get(all.size() - 1).entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.add(Map.copyOf(exchange.getRequestHeaders()));
        Reply reply;
        byte[] content;
        int ver;
        synchronized (this) {
            reply = script.poll();
            content = body;
            ver = version;
        }
        try (exchange) {
            if (reply instanceof Reply.Delay delay) {
                try {
                    Thread.sleep(delay.millis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (reply instanceof Reply.Held held) {
                try {
                    held.release().await(1, java.util.concurrent.TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (reply instanceof Reply.Status status) {
                byte[] b = status.body().getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(status.code(), b.length == 0 ? -1 : b.length);
                if (b.length > 0) {
                    exchange.getResponseBody().write(b);
                }
                return;
            }
            String etag = "\"v" + ver + "\"";
            if (validators) {
                exchange.getResponseHeaders().add("ETag", etag);
                exchange.getResponseHeaders().add("Last-Modified", "Sat, 22 Aug 2026 01:00:29 GMT");
                if (etag.equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                    exchange.sendResponseHeaders(304, -1);
                    return;
                }
            }
            exchange.getResponseHeaders().add("Content-Type", contentType);
            if (reply instanceof Reply.Gzip gzip) {
                exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                exchange.sendResponseHeaders(200, gzip.encoded().length);
                exchange.getResponseBody().write(gzip.encoded());
                return;
            }
            if (reply instanceof Reply.Endless endless) {
                exchange.sendResponseHeaders(200, 0);
                byte[] chunk = endless.line().repeat(Math.max(1, 65_536 / endless.line().length()))
                        .getBytes(StandardCharsets.UTF_8);
                OutputStream out = exchange.getResponseBody();
                for (long sent = 0; sent < endless.bytes(); sent += chunk.length) {
                    // throws once the client has dropped the connection
                    out.write(chunk);
                    bodyBytesSent.addAndGet(chunk.length);
                }
                return;
            }
            exchange.sendResponseHeaders(200, content.length == 0 ? -1 : content.length);
            OutputStream out = exchange.getResponseBody();
            if (reply instanceof Reply.Trickle trickle) {
                for (byte b : content) {
                    out.write(b);
                    out.flush();
                    bodyBytesSent.incrementAndGet();
                    try {
                        Thread.sleep(trickle.millis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                return;
            }
            if (reply instanceof Reply.Truncated truncated) {
                out.write(content, 0, Math.min(truncated.sent(), content.length));
                out.flush();
                // closing with bytes still owed drops the connection, as a cut download does
                return;
            }
            out.write(content);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }
}
