package io.ctifeeds.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local stand-in for the CrowdSec CTI API ({@code <url()>} plays {@code https://cti.api.crowdsec.net/v2}):
 * {@code GET /smoke/search} pages through the items it was given ({@code page}, {@code limit}, HAL-style
 * {@code _links} pointing back at itself, no {@code next} on the last page), {@code GET /smoke/{ip}} answers an
 * item or 404. Like the real API it wants {@code x-api-key} (401 when missing, 403 when wrong), answers 404 outside
 * {@code /v2}, refuses a {@code limit} out of range, a {@code page} that is not a positive integer and a malformed
 * {@code since} with 400, counts its quota in IPs returned
 * (429 "Limit Exceeded" once spent) and, when told, throttles bursts (429 "Too Many Requests" above N requests
 * a second), with no {@code Retry-After} on its 429s (the API documents none; a scripted reply may add one).
 * Tests can script the next answers (errors, a cut-off body) and read every request.
 */
public final class CtiApiServer implements AutoCloseable {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    public record Request(String path, Map<String, String> query, Map<String, List<String>> headers,
                         long nanoTime, int status) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    /** A scripted answer for one request. */
    public sealed interface Reply {
        record Status(int code, String body, Map<String, String> headers) implements Reply {
            public Status(int code, String body) {
                this(code, body, Map.of());
            }
        }

        /** The normal answer, but with its body cut to {@code keep} bytes (Content-Length matching what is sent). */
        record CutBody(int keep) implements Reply {
        }

        /**
         * The normal answer announcing its full Content-Length, then the connection dropped after {@code keep} bytes
         * of the body: a transfer cut off mid-page.
         */
        record CutTransfer(int keep) implements Reply {
        }

        /** The normal answer after this long: a slow server. */
        record Slow(long millis) implements Reply {
        }

        /** 200 with this body as is and {@code Content-Encoding: gzip} (see FeedServer.gzip): a bomb, decoded. */
        record Gzip(byte[] encoded) implements Reply {
        }
    }

    public static final String TOO_MANY_REQUESTS = "{\"message\": \"Too Many Requests\"}";
    public static final String LIMIT_EXCEEDED = "{\"message\": \"Limit Exceeded\"}";
    public static final String FORBIDDEN = "{\"message\": \"Forbidden\"}";
    public static final String UNAUTHORIZED = "{\"message\": \"Unauthorized\"}";
    public static final String NOT_FOUND = "{\"message\": \"Not Found\"}";
    /**
     * The largest page the fake serves. The API documents no maximum; this is the connector's own bound on
     * crowdsec.import-page-size, so a client that sends more is refused here.
     */
    public static final int MAX_LIMIT = 1000;

    private final HttpServer server;
    private final String apiKey;
    private volatile int count;
    private volatile IntFunction<JsonNode> items = i -> null;
    private volatile Function<String, JsonNode> byIp = ip -> null;
    private volatile java.util.function.BiFunction<String, Integer, JsonNode> pages;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Reply> script = new ArrayDeque<>();
    private final Deque<Long> recent = new ArrayDeque<>();
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile long quota = Long.MAX_VALUE;
    private volatile int maxPerSecond;
    private int passThrough;

    public CtiApiServer(String apiKey) throws IOException {
        this.apiKey = apiKey;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        // a real API answers requests side by side: several threads, so a throttle test measures the client
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "cti-api-server");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    /** The five search items of src/test/resources/fixtures/crowdsec (page 1, then page 2), as fresh mutable copies. */
    public static List<ObjectNode> fixtureItems() {
        List<ObjectNode> items = new ArrayList<>();
        for (String page : List.of("crowdsec/smoke_search_page1.json", "crowdsec/smoke_search_page2.json")) {
            try {
                JSON.readTree(Fixtures.bytes(page)).get("items").forEach(i -> items.add((ObjectNode) i.deepCopy()));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return items;
    }

    /** A fixture-shaped CTI answer for each of these IPs (the five fixture items in turn as templates). */
    public static List<ObjectNode> itemsFor(List<String> ips) {
        List<ObjectNode> templates = fixtureItems();
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < ips.size(); i++) {
            ObjectNode item = templates.get(i % templates.size()).deepCopy();
            item.put("ip", ips.get(i));
            items.add(item);
        }
        return items;
    }

    /** What CROWDSEC_API_BASE_URL should be. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v2";
    }

    /** The items smoke/search returns, in order; smoke/{ip} answers them too. */
    public CtiApiServer serve(List<? extends JsonNode> served) {
        List<JsonNode> copy = List.copyOf(served);
        Map<String, JsonNode> index = new HashMap<>();
        for (JsonNode item : copy) {
            if (item.path("ip").isTextual()) {
                index.put(item.path("ip").asText(), item);
            }
        }
        return serve(copy.size(), copy::get, index::get);
    }

    /**
     * Items made on demand (a benchmark's tens of thousands would not fit the heap as trees): item {@code i} of
     * {@code count} for smoke/search, and the item of an IP (or null: 404) for smoke/{ip}.
     */
    public synchronized CtiApiServer serve(int count, IntFunction<JsonNode> items, Function<String, JsonNode> byIp) {
        this.count = count;
        this.items = items;
        this.byIp = byIp;
        return this;
    }

    /**
     * A misbehaving search: every smoke/search page is what this makes of the request's own absolute URL and its
     * page number (a next link forever, to itself, empty pages...), instead of the served items.
     */
    public CtiApiServer searchPages(java.util.function.BiFunction<String, Integer, JsonNode> pages) {
        this.pages = pages;
        return this;
    }

    /** Quota tokens left (one per IP returned); then 429 "Limit Exceeded". */
    public void quota(long tokens) {
        quota = tokens;
    }

    public long quotaLeft() {
        return quota;
    }

    /** More than this many requests in any second get 429 "Too Many Requests" (0: no limit). */
    public void maxPerSecond(int n) {
        maxPerSecond = n;
    }

    public int throttledCount() {
        return throttled.get();
    }

    public synchronized void thenReply(Reply... replies) {
        afterRequests(0, replies);
    }

    /** The next {@code skip} requests are answered as usual, then these replies, in order. */
    public synchronized void afterRequests(int skip, Reply... replies) {
        passThrough = skip;
        script.addAll(List.of(replies));
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> searches() {
        return requests().stream().filter(r -> r.path().endsWith("/smoke/search")).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
        Reply reply;
        synchronized (this) {
            if (passThrough > 0) {
                passThrough--;
                reply = null;
            } else {
                reply = script.poll();
            }
        }
        // recorded before the answer goes out: a client may look at the requests as soon as it has its answer
        Recorder record = code -> requests.add(new Request(path, query, Map.copyOf(exchange.getRequestHeaders()),
                now, code));
        try (exchange) {
            if (reply instanceof Reply.Status s) {
                s.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
                send(exchange, record, s.code(), s.body().getBytes(StandardCharsets.UTF_8));
            } else if (reply instanceof Reply.Gzip gzip) {
                exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                send(exchange, record, 200, gzip.encoded());
            } else if (!path.equals("/v2") && !path.startsWith("/v2/")) {
                send(exchange, record, 404, NOT_FOUND.getBytes(StandardCharsets.UTF_8));
            } else if (exchange.getRequestHeaders().getFirst("x-api-key") == null) {
                send(exchange, record, 401, UNAUTHORIZED.getBytes(StandardCharsets.UTF_8));
            } else if (!apiKey.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
                send(exchange, record, 403, FORBIDDEN.getBytes(StandardCharsets.UTF_8));
            } else if (overRate(now)) {
                throttled.incrementAndGet();
                send(exchange, record, 429, TOO_MANY_REQUESTS.getBytes(StandardCharsets.UTF_8));
            } else {
                if (reply instanceof Reply.Slow slow) {
                    sleep(slow.millis());
                }
                Answer answer = path.endsWith("/smoke/search") ? search(query) : lookup(path);
                byte[] body = answer.body();
                if (answer.status() == 200 && !charge(answer.ips())) {
                    send(exchange, record, 429, LIMIT_EXCEEDED.getBytes(StandardCharsets.UTF_8));
                } else if (reply instanceof Reply.CutTransfer cut) {
                    record.record(answer.status());
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(answer.status(), body.length);
                    OutputStream out = exchange.getResponseBody();
                    out.write(body, 0, Math.min(cut.keep(), body.length));
                    out.flush();
                    // closing with bytes still owed drops the connection (FeedServer.Reply.Truncated does the same)
                } else if (reply instanceof Reply.CutBody cut) {
                    byte[] part = new byte[Math.min(cut.keep(), body.length)];
                    System.arraycopy(body, 0, part, 0, part.length);
                    send(exchange, record, answer.status(), part);
                } else {
                    send(exchange, record, answer.status(), body);
                }
            }
        }
    }

    private interface Recorder {
        void record(int status);
    }

    private record Answer(int status, byte[] body, int ips) {
    }

    private Answer search(Map<String, String> query) throws IOException {
        if (query.get("query") == null || query.get("query").isBlank()) {
            return new Answer(400, "{\"message\": \"query is required\"}".getBytes(StandardCharsets.UTF_8), 0);
        }
        // refused as a 400, as the API refuses them, never an exception inside the handler (an empty answer)
        Integer limit = positiveInt(query.getOrDefault("limit", "20"));
        Integer page = positiveInt(query.getOrDefault("page", "1"));
        if (limit == null || limit > MAX_LIMIT) {
            return badRequest("limit must be an integer from 1 to " + MAX_LIMIT);
        }
        if (page == null) {
            return badRequest("page must be a positive integer");
        }
        if (query.containsKey("since") && !query.get("since").matches("[0-9]{1,6}[hdm]")) {
            return badRequest("since must be a duration such as 24h, 3d or 30m");
        }
        java.util.function.BiFunction<String, Integer, JsonNode> custom = pages;
        if (custom != null) {
            JsonNode made = custom.apply(link(query, page, limit), page);
            return new Answer(200, JSON.writeValueAsBytes(made), made.path("items").size());
        }
        int size = count;
        IntFunction<JsonNode> source = items;
        int from = Math.min(size, (page - 1) * limit);
        int to = Math.min(size, from + limit);
        ObjectNode body = JSON.createObjectNode();
        ObjectNode links = body.putObject("_links");
        links.putObject("first").put("href", link(query, 1, limit));
        links.putObject("self").put("href", link(query, page, limit));
        if (page > 1) {
            links.putObject("prev").put("href", link(query, page - 1, limit));
        }
        if (to < size) {
            links.putObject("next").put("href", link(query, page + 1, limit));
        }
        ArrayNode out = body.putArray("items");
        for (int i = from; i < to; i++) {
            out.add(source.apply(i));
        }
        return new Answer(200, JSON.writeValueAsBytes(body), to - from);
    }

    private static Integer positiveInt(String text) {
        if (!text.matches("[0-9]{1,9}")) {
            return null;
        }
        int value = Integer.parseInt(text);
        return value >= 1 ? value : null;
    }

    private static Answer badRequest(String message) {
        return new Answer(400, ("{\"message\": \"" + message + "\"}").getBytes(StandardCharsets.UTF_8), 0);
    }

    private Answer lookup(String path) throws IOException {
        String ip = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
        JsonNode item = byIp.apply(ip);
        if (item == null) {
            return new Answer(404, "{\"message\": \"IP address information not found\"}"
                    .getBytes(StandardCharsets.UTF_8), 0);
        }
        return new Answer(200, JSON.writeValueAsBytes(item), 1);
    }

    /** Absolute links, as the API's own; the query as it came (so the client can follow them as they are). */
    private String link(Map<String, String> query, int page, int limit) {
        Map<String, String> q = new LinkedHashMap<>(query);
        q.put("page", Integer.toString(page));
        q.put("limit", Integer.toString(limit));
        StringBuilder href = new StringBuilder(url()).append("/smoke/search?");
        q.forEach((k, v) -> href.append(k).append('=').append(
                java.net.URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20")).append('&'));
        href.setLength(href.length() - 1);
        return href.toString();
    }

    private synchronized boolean charge(int ips) {
        if (quota < ips) {
            return false;
        }
        quota -= ips;
        return true;
    }

    private synchronized boolean overRate(long now) {
        if (maxPerSecond <= 0) {
            return false;
        }
        while (!recent.isEmpty() && now - recent.peekFirst() >= 1_000_000_000L) {
            recent.pollFirst();
        }
        if (recent.size() >= maxPerSecond) {
            return true;
        }
        recent.addLast(now);
        return false;
    }

    private static void send(HttpExchange exchange, Recorder record, int status, byte[] body) throws IOException {
        record.record(status);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return query;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return query;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
