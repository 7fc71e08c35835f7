package io.ctifeeds.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay to a real server (the broker), which a test can cut and restore: closed, it refuses
 * new connections and drops the open ones, as a broker that went away does. Made with {@link #tls}, it ends TLS
 * in front of the server, as a broker's TLS listener does.
 */
public final class TcpProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile long cutAfterBytes = Long.MAX_VALUE;
    private final java.util.concurrent.atomic.AtomicLong sentUpstream = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.CountDownLatch cut = new java.util.concurrent.CountDownLatch(1);
    private final javax.net.ssl.SSLContext tls;
    private final boolean needClientAuth;

    public TcpProxy(int targetPort) throws IOException {
        this(targetPort, null, false);
    }

    /**
     * A relay whose clients speak TLS to it (the server's certificate is {@code tls}'s), plain to the target.
     *
     * @param needClientAuth a client without a certificate that {@code tls} trusts is refused
     */
    public static TcpProxy tls(int targetPort, javax.net.ssl.SSLContext tls, boolean needClientAuth)
            throws IOException {
        return new TcpProxy(targetPort, tls, needClientAuth);
    }

    private TcpProxy(int targetPort, javax.net.ssl.SSLContext tls, boolean needClientAuth) throws IOException {
        this.targetPort = targetPort;
        this.tls = tls;
        this.needClientAuth = needClientAuth;
        // a port kept for it while it is down: not one the system could hand to another socket meanwhile
        this.port = Http.freePort();
    }

    public int port() {
        return port;
    }

    public synchronized TcpProxy up() throws IOException {
        if (server != null) {
            return this;
        }
        ServerSocket s = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
        if (s instanceof javax.net.ssl.SSLServerSocket secure) {
            // the handshake runs in the pump thread at the first read: the acceptor is never held by a client
            secure.setNeedClientAuth(needClientAuth);
        }
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread acceptor = new Thread(() -> accept(s), "tcp-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    /** Refuses new connections and cuts the open ones. */
    public synchronized void down() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
        for (Socket socket : open) {
            socket.close();
        }
        open.clear();
    }

    /**
     * Goes {@link #down()} by itself once this many more bytes have gone from the clients to the server: a cut at
     * a known point of the traffic (mid-run), whatever the machine's speed, where a timer would race the run.
     */
    public TcpProxy cutAfter(long bytes) {
        sentUpstream.set(0);
        cutAfterBytes = bytes;
        return this;
    }

    /** Whether a {@link #cutAfter} cut has happened. */
    public boolean wasCut() {
        return cut.getCount() == 0;
    }

    private void accept(ServerSocket s) {
        while (!s.isClosed()) {
            try {
                Socket client = s.accept();
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(upstream);
                pump(client, upstream, true);
                pump(upstream, client, false);
            } catch (IOException e) {
                // closed by down(), or the target refused: the client sees its connection end
            }
        }
    }

    private void pump(Socket from, Socket to, boolean upstream) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (upstream && sentUpstream.addAndGet(n) > cutAfterBytes) {
                        cutAfterBytes = Long.MAX_VALUE;
                        cut.countDown();
                        down();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        down();
    }
}
