package io.ctifeeds.feed;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecRuntime;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The bounds on what an upstream's answers may cost, for the camel-http endpoints of the feeds
 * ({@code httpClientConfigurer=#fetchLimits}): at most so many bytes on the wire and as many decoded (gzip and
 * deflate are decoded here, through the bound, instead of by the client or Camel without one), and a total
 * deadline per request that a server sending a byte now and then cannot extend (socket timeouts restart with each
 * byte): when it passes, the connection is dropped. A refused answer ends in a {@link FetchLimitException} that
 * names the setting; its connection is dropped, never drained.
 *
 * <p>A request may lower the byte bound for itself with the {@value #MAX_BYTES_HEADER} header (a feed's bound
 * relative to its last good download), which never leaves the connector.
 */
public class FetchLimits implements HttpClientConfigurer {

    /** A lower byte bound for one request, removed before the request goes out. */
    public static final String MAX_BYTES_HEADER = "Cti-Feeds-Max-Bytes";

    private static final ScheduledExecutorService DEADLINES = deadlines();

    private final long maxBytes;
    private final String maxBytesSetting;
    private final String relativeSetting;
    private final Duration deadline;
    private final String deadlineSetting;

    /**
     * @param maxBytesSetting the environment variable of {@code maxBytes}, for messages
     * @param relativeSetting what a lower bound in {@value #MAX_BYTES_HEADER} comes from, for messages
     */
    public FetchLimits(long maxBytes, String maxBytesSetting, String relativeSetting, Duration deadline,
                       String deadlineSetting) {
        this.maxBytes = maxBytes;
        this.maxBytesSetting = maxBytesSetting;
        this.relativeSetting = relativeSetting;
        this.deadline = deadline;
        this.deadlineSetting = deadlineSetting;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        // the client's own decoding has no bound: the answer is decoded here instead
        builder.disableContentCompression();
        // first: outside the redirects, so the deadline covers them too
        builder.addExecInterceptorFirst("cti-feeds-fetch-limits", this::execute);
    }

    private ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope, ExecChain chain)
            throws IOException, HttpException {
        long max = maxBytes;
        String setting = maxBytesSetting + ")";
        Header lower = request.getFirstHeader(MAX_BYTES_HEADER);
        if (lower != null) {
            request.removeHeaders(MAX_BYTES_HEADER);
            long relative = Long.parseLong(lower.getValue().trim());
            if (relative < max) {
                max = relative;
                setting = relativeSetting + " times the last good download)";
            }
        }
        if (!request.containsHeader("Accept-Encoding")) {
            request.setHeader("Accept-Encoding", "gzip, deflate");
        }
        Deadline timer = new Deadline(scope.execRuntime);
        ClassicHttpResponse response;
        try {
            response = chain.proceed(request, scope);
        } catch (IOException | HttpException | RuntimeException e) {
            timer.cancel();
            if (timer.passed()) {
                throw timer.exceeded();
            }
            throw e;
        }
        HttpEntity entity = response.getEntity();
        if (entity == null) {
            timer.cancel();
            return response;
        }
        Header encodingHeader = response.getFirstHeader("Content-Encoding");
        String encoding = encodingHeader == null ? "" : encodingHeader.getValue().trim().toLowerCase(Locale.ROOT);
        boolean decode = encoding.equals("gzip") || encoding.equals("x-gzip") || encoding.equals("deflate");
        if (decode) {
            // decoded here: Camel must not decode it again
            response.removeHeaders("Content-Encoding");
        }
        response.setEntity(new LimitedEntity(entity, max, setting, decode ? encoding : null, timer));
        return response;
    }

    /** The wall-clock bound of one request: when it passes, the connection is dropped under the reader. */
    private final class Deadline {
        private final ExecRuntime runtime;
        private final ScheduledFuture<?> task;
        private volatile boolean passed;

        Deadline(ExecRuntime runtime) {
            this.runtime = runtime;
            this.task = DEADLINES.schedule(this::expire, deadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void expire() {
            passed = true;
            runtime.discardEndpoint();
        }

        boolean passed() {
            return passed;
        }

        void cancel() {
            task.cancel(false);
        }

        /** Drops the connection: what is left of the answer is not read. */
        void abort() {
            cancel();
            runtime.discardEndpoint();
        }

        FetchLimitException exceeded() {
            return new FetchLimitException("not complete after " + deadline.toSeconds() + " s ("
                    + deadlineSetting + ")");
        }
    }

    /** The answer's body, bounded on the wire and decoded, in one stream that Camel and the client both close. */
    private static final class LimitedEntity extends HttpEntityWrapper {
        private final long max;
        private final String setting;
        private final String encoding;
        private final Deadline timer;
        private Body body;

        LimitedEntity(HttpEntity entity, long max, String setting, String encoding, Deadline timer) {
            super(entity);
            this.max = max;
            this.setting = setting;
            this.encoding = encoding;
            this.timer = timer;
        }

        @Override
        public synchronized InputStream getContent() throws IOException {
            if (body == null) {
                InputStream raw = super.getContent();
                if (raw == null) {
                    timer.cancel();
                    return null;
                }
                body = new Body(raw, timer, super.getContentLength(), encoding != null);
                InputStream wire = new LimitedInputStream(raw, max, "more than " + max + " bytes on the wire ("
                        + setting);
                InputStream decoded = encoding == null ? wire : encoding.equals("deflate")
                        ? new InflaterInputStream(wire) : new GZIPInputStream(wire, 8192);
                body.source(encoding == null ? decoded : new LimitedInputStream(decoded, max, "more than " + max
                        + " bytes once decoded from " + encoding + " (" + setting));
            }
            return body;
        }

        @Override
        public long getContentLength() {
            return encoding == null ? super.getContentLength() : -1;
        }

        @Override
        public String getContentEncoding() {
            return encoding == null ? super.getContentEncoding() : null;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }

        @Override
        public void close() throws IOException {
            if (body != null) {
                body.close();
            } else {
                super.close();
            }
        }
    }

    /**
     * The stream readers get: a read cut by the deadline says so, and a close before the end drops the connection
     * (the client would otherwise read the rest of an answer that was refused, however large or slow).
     */
    private static final class Body extends FilterInputStream {
        private final InputStream raw;
        private final Deadline timer;
        /** the announced length on the wire (-1: none) */
        private final long length;
        /** decoded, the end of the data is not the end of the wire (a hostile server may send more) */
        private final boolean decoded;
        private long count;
        private boolean ended;
        private boolean closed;

        Body(InputStream raw, Deadline timer, long length, boolean decoded) {
            super(raw);
            this.raw = raw;
            this.timer = timer;
            this.length = length;
            this.decoded = decoded;
        }

        void source(InputStream decoded) {
            this.in = decoded;
        }

        @Override
        public int read() throws IOException {
            try {
                int b = in.read();
                ended(b < 0 ? -1 : 1);
                return b;
            } catch (IOException e) {
                throw translated(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return ended(in.read(b, off, len));
            } catch (IOException e) {
                throw translated(e);
            }
        }

        private int ended(int n) throws FetchLimitException {
            if (n < 0) {
                if (timer.passed()) {
                    // a body without a length ends when the connection does: the deadline ended it
                    throw timer.exceeded();
                }
                end();
            } else if (!decoded && (count += n) == length) {
                // read to its announced length (Camel stops there for small answers): the connection may be reused
                end();
            }
            return n;
        }

        private void end() {
            ended = true;
            timer.cancel();
        }

        private IOException translated(IOException e) {
            return timer.passed() && !(e instanceof FetchLimitException) ? timer.exceeded() : e;
        }

        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            if (ended && !decoded) {
                raw.close();
            } else {
                timer.abort();
            }
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }

    private static ScheduledExecutorService deadlines() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread t = new Thread(task, "fetch-deadlines");
            t.setDaemon(true);
            return t;
        });
        // a request that ends in time takes its task away at once, not when the deadline would have passed
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }
}
