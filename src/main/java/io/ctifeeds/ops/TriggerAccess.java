package io.ctifeeds.ops;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import io.ctifeeds.display.LogText;
import io.vertx.core.net.SocketAddress;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may start a run through POST /feeds/{feed}/run (routes/http-trigger.camel.yaml). With CONNECTOR_HTTP_TOKEN
 * set: whoever sends it as a bearer token. Without: callers on this host only. Either way a request that a
 * browser sent for a page of another origin (its Origin header) is refused, so that a web page cannot make a
 * visitor's browser start runs.
 */
public class TriggerAccess {

    /** The request's fate, with the answer the route gives when it is refused. */
    public enum Verdict {
        ADMITTED(202, ""),
        FOREIGN_ORIGIN(403, "requests from a page of another origin are refused\n"),
        NOT_LOOPBACK(403, "without CONNECTOR_HTTP_TOKEN the trigger answers callers on this host only\n"),
        NO_TOKEN(401, "a bearer token is required (Authorization: Bearer <CONNECTOR_HTTP_TOKEN>)\n");

        private final int status;
        private final String answer;

        Verdict(int status, String answer) {
            this.status = status;
            this.answer = answer;
        }

        public int getStatus() {
            return status;
        }

        public String getAnswer() {
            return answer;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(TriggerAccess.class);
    /** camel-platform-http-vertx's header with the caller's address (set by the server, not by the caller). */
    static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";
    static final String LOCAL_ADDRESS = "CamelVertxPlatformHttpLocalAddress";

    private final byte[] tokenDigest;
    private final RefusalLog refusals = new RefusalLog(LOG);

    /** @param token CONNECTOR_HTTP_TOKEN; empty: loopback callers only */
    public TriggerAccess(String token) {
        this.tokenDigest = token == null || token.isBlank() ? null : sha256(token.trim());
    }

    public Verdict check(Exchange exchange) {
        // SocketAddress objects: the server put them there; a caller's header of that name would be text
        Object remote = exchange.getMessage().getHeader(REMOTE_ADDRESS);
        Object local = exchange.getMessage().getHeader(LOCAL_ADDRESS);
        return check(exchange.getMessage().getHeader("Authorization", String.class),
                exchange.getMessage().getHeader("Origin", String.class),
                local instanceof SocketAddress l ? l.hostAddress() + ":" + l.port() : null,
                remote instanceof SocketAddress r ? r.hostAddress() : null);
    }

    /**
     * @param local  the address:port the caller connected to
     * @param caller the caller's address
     */
    Verdict check(String authorization, String origin, String local, String caller) {
        String who = caller == null ? "unknown" : LogText.oneLine(caller, 64);
        if (origin != null && !ownOrigin(origin, local)) {
            refusals.refused("foreign-origin", "trigger refused: caller {} sent it from a page of {} (not this "
                    + "server's origin)", who, LogText.oneLine(origin, 100));
            return Verdict.FOREIGN_ORIGIN;
        }
        if (tokenDigest != null) {
            if (!tokenMatches(authorization)) {
                refusals.refused("no-token", "trigger refused: caller {} gave no valid bearer token "
                        + "(CONNECTOR_HTTP_TOKEN)", who);
                return Verdict.NO_TOKEN;
            }
            return Verdict.ADMITTED;
        }
        if (!isLoopback(caller)) {
            refusals.refused("not-loopback", "trigger refused: caller {} is not on this host, and no "
                    + "CONNECTOR_HTTP_TOKEN is set to admit other callers", who);
            return Verdict.NOT_LOOPBACK;
        }
        return Verdict.ADMITTED;
    }

    private boolean tokenMatches(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        // digests of equal length compared in constant time: neither the token nor its length leaks by timing
        return MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(7).trim()));
    }

    /**
     * A browser's Origin names the page's scheme, host and port. The connector serves no pages of its own, so the
     * only origin it takes for its own is itself as reached on this host: the port it listens on, at localhost, a
     * loopback address or the address the caller connected to. A page whose name was re-bound to 127.0.0.1 still
     * sends its own name, and is refused.
     */
    static boolean ownOrigin(String origin, String local) {
        if (local == null) {
            return false;
        }
        try {
            URI uri = URI.create(origin.trim());
            String host = uri.getHost();
            int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            int colon = local.lastIndexOf(':');
            if (host == null || port != Integer.parseInt(local.substring(colon + 1))) {
                return false;
            }
            String name = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            return name.equalsIgnoreCase("localhost") || isLoopback(name) || name.equals(local.substring(0, colon));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean isLoopback(String address) {
        if (address == null) {
            return false;
        }
        String a = address.strip();
        // literal addresses only: a name would be looked up
        if (!a.matches("[0-9.]+|[0-9a-fA-F.]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            return InetAddress.getByName(a).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
