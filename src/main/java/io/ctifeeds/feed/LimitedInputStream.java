package io.ctifeeds.feed;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Counts what is read through it and throws {@link FetchLimitException} once more than {@code max} bytes came.
 * Counted per read call, without locking: it sits under every download, whose reads are buffer-sized.
 */
public class LimitedInputStream extends FilterInputStream {

    private final long max;
    private final String exceeded;
    private long count;

    /**
     * @param exceeded the message of the exception, naming the limit and its setting
     */
    public LimitedInputStream(InputStream in, long max, String exceeded) {
        super(in);
        this.max = max;
        this.exceeded = exceeded;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            count(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            count(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        if (skipped > 0) {
            count(skipped);
        }
        return skipped;
    }

    private void count(long n) throws FetchLimitException {
        count += n;
        if (count > max) {
            throw new FetchLimitException(exceeded);
        }
    }

    /** Bytes read so far. */
    public long count() {
        return count;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
