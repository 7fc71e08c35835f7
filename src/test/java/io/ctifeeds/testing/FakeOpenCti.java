package io.ctifeeds.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import graphql.ExecutionInput;
import graphql.ExecutionResult;
import graphql.GraphQL;
import graphql.GraphQLError;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.OperationDefinition;
import graphql.language.SourceLocation;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import graphql.validation.ValidationError;

/**
 * A fake OpenCTI 6.9.17 GraphQL endpoint for tests: {@code POST <url()>/graphql} on 127.0.0.1.
 *
 * <p>Every operation is parsed and validated against the platform's real schema (see {@link OpenCtiSchema}); one
 * the platform would reject gets the platform's kind of answer (HTTP 200 with {@code errors}) and is kept in
 * {@link #validationFailures()}, so a test can assert that its client only sends what a real platform accepts.
 * Valid operations run through graphql-java with the platform's connector resolvers ({@link FakePlatform}), so the
 * answer has exactly the shape the operation selected.
 *
 * <p>Authentication: only {@code Authorization: Bearer <token()>} is logged in. Otherwise, as on the platform, the
 * operation still validates and runs, and every field marked {@code @auth} answers {@code null} with the error
 * {@code {"message": "You must be logged in to do this.", "extensions": {"code": "AUTH_REQUIRED", "data":
 * {"http_status": 401, "genre": "TECHNICAL"}}, "name": "AUTH_REQUIRED"}}, still over HTTP 200 (6.9.17:
 * {@code graphql/authDirective.ts} throws {@code AuthRequired} from the field resolver; {@code httpResponsePlugin.js}
 * forces status 200 whenever there are errors; {@code formatError} adds {@code name}).
 */
public final class FakeOpenCti implements AutoCloseable {

    static {
        // read once, when the JVM makes its first HttpServer: without it every answer whose headers and body
        // go out in two writes waits for the client's delayed ACK (about 40 ms), which a real server does not
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public static final String DEFAULT_TOKEN = "5b4f3a1e-9c2d-4e6f-8a7b-1c0d2e3f4a5b";
    /** OPENCTI_ADMIN_UUID, the user behind the platform's admin token. */
    public static final String DEFAULT_CONNECTOR_USER_ID = "88ec0c6a-13ce-5e39-b486-354fe4a7084f";
    public static final String DEFAULT_VERSION = "6.9.17";
    /** The OpenCTI 7 release whose schema the fake also serves. */
    public static final String OPENCTI_7_VERSION = "7.260817.0";
    /** The versions a test of the protocol runs against (its parameter source). */
    public static final List<String> VERSIONS = List.of(DEFAULT_VERSION, OPENCTI_7_VERSION);

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(
            new SimpleModule().addSerializer(Double.class, new JavaScriptNumberSerializer()));

    /** The RabbitMQ settings registerConnector hands out (platform config {@code rabbitmq:*}). */
    public record RabbitMq(String host, String vhost, boolean useSsl, int port, String user, String pass) {
        public static final RabbitMq DEFAULT = new RabbitMq("127.0.0.1", "/", false, 5672, "guest", "guest");
    }

    /** The S3 settings registerConnector hands out (platform config {@code minio:*}, defaults of default.json). */
    public record S3(String endpoint, int port, boolean useSsl, String bucketName, String bucketRegion,
                     String accessKey, String secretKey) {
        public static final S3 DEFAULT = new S3("127.0.0.1", 9000, false, "opencti-bucket", "us-east-1",
                "ChangeMe", "ChangeMe");
    }

    /** Milliseconds to read and parse the SDL, then to make it executable. */
    public record SchemaLoadTime(long parseMillis, long buildMillis) {
        public long totalMillis() {
            return parseMillis + buildMillis;
        }
    }

    /** How a request ended. */
    public enum Outcome {
        /** Ran without errors. */
        OK,
        /** Ran; some field answered an error other than AUTH_REQUIRED (including {@link #errorNext}). */
        GRAPHQL_ERROR,
        /** Ran without a valid token: fields marked {@code @auth} answered AUTH_REQUIRED. */
        AUTH_REQUIRED,
        /** Refused before running: bad HTTP request, syntax, schema validation, variables, {@code @constraint}. */
        INVALID,
        /** Answered by {@link #failNext}. */
        HTTP_FAILURE
    }

    /**
     * One request. {@code field} names the operation the way the platform's code does: the first root field
     * ({@code registerConnector}, {@code pingConnector}, {@code workAdd}, {@code stixBundlePush}, ...), or for
     * {@code workEdit} the sub-field ({@code addExpectations}, {@code toProcessed}, ...); null when the text does not
     * parse. {@code operationName} is the request's, else the name of the document's only operation (pycti
     * sends no operationName). {@code variables} is an empty object when none were sent.
     */
    public record Call(String field, List<String> fields, String operationName, String query, JsonNode variables,
                       Map<String, List<String>> headers, int httpStatus, Outcome outcome) {

        /** The first value of a request header, any case. */
        public String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** A request the platform would have refused before running it, with the reasons. */
    public record ValidationFailure(String operationName, String query, List<String> messages) {
    }

    /**
     * A work as the platform tracks it: {@code expectations} is the sum of addExpectations (import_expected_number),
     * {@code processed}, {@code message} and {@code inError} come from the last toProcessed, {@code messages} and
     * {@code errors} are the work's message lists, {@code status} is wait/progress/complete.
     */
    public record Work(String id, String connectorId, String name, String status, int expectations,
                       int reportedExpectations, boolean processed, String message, boolean inError,
                       List<String> messages, List<String> errors) {
    }

    /** A stixBundlePush: the work id as sent (may be null) and the work it went to. */
    public record PushedBundle(String connectorId, String workId, String targetWorkId, String bundle) {
        public JsonNode json() {
            try {
                return JSON.readTree(bundle);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The next answers the test asked for, in order. */
    private sealed interface Scripted {
        /** Fails a request whose variables pass {@code when}. */
        record HttpFailure(int status, String body, java.util.function.Predicate<JsonNode> when) implements Scripted {
            HttpFailure(int status, String body) {
                this(status, body, variables -> true);
            }
        }

        record GraphQlError(String message) implements Scripted {
        }
    }

    private final String token;
    private final FakePlatform platform;
    private final GraphQL graphQL;
    /** The schema of the version this fake reports in {@code about}; every operation is validated against it. */
    private final graphql.schema.GraphQLSchema schema;
    private final HttpServer server;
    private final List<Call> calls = Collections.synchronizedList(new ArrayList<>());
    private final List<ValidationFailure> failures = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Scripted> script = new ArrayDeque<>();
    private final Map<String, Deque<Scripted.HttpFailure>> scriptByField = new java.util.HashMap<>();
    private volatile boolean refusalsExpected;
    private boolean closed;

    private FakeOpenCti(Builder b) throws IOException {
        this.token = b.token;
        this.platform = new FakePlatform(new FakePlatform.Settings(b.version, b.connectorUserId, b.rabbitMq, b.s3,
                b.queuePrefix, b.clock));
        // The document was parsed and validated already (to record failures); execution reuses it as is.
        this.schema = OpenCtiSchema.get(b.version).schema();
        this.graphQL = GraphQL.newGraphQL(schema)
                .preparsedDocumentProvider((input, parse) -> CompletableFuture.completedFuture(
                        new PreparsedDocumentEntry(input.getGraphQLContext().<Document>get(Document.class))))
                .build();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** A server with every default. */
    public static FakeOpenCti start() throws IOException {
        return builder().start();
    }

    /** A server with every default that reports this version and validates against its schema. */
    public static FakeOpenCti start(String version) throws IOException {
        return builder().version(version).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How long loading the schema took (once per JVM; this call loads it if no fake did yet). */
    public static SchemaLoadTime schemaLoadTime() {
        OpenCtiSchema.Loaded l = OpenCtiSchema.get();
        return new SchemaLoadTime(l.parseMillis(), l.buildMillis());
    }

    /** What OPENCTI_URL should be: the base URL, without {@code /graphql}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String token() {
        return token;
    }

    // region test controls

    /** The UI's "reset state" (resetStateConnector): state '' and the reset flag, so the next ping only clears it. */
    public void resetState() {
        platform.resetAll();
    }

    /** The stored state of the registered connector: null before any ping, then what the last storing ping sent. */
    public String state() {
        return platform.state();
    }

    /**
     * Stores a state for the registered connector as if a ping had, e.g. to test a restart: the next
     * registerConnector answers it. Before any registration there is no connector to hold it.
     */
    public void setState(String state) {
        platform.setState(state);
    }

    public boolean stateResetPending() {
        return platform.stateResetPending();
    }

    /** The connector_info of the last ping (DateTimes as {@link java.time.Instant}), or null. */
    public Map<String, Object> connectorInfo() {
        return platform.connectorInfo();
    }

    /** What connector.connector_queue_details.messages_size answers (bytes in the push queue), 0 at first. */
    public void setQueueMessagesSize(long bytes) {
        setQueue(0, bytes);
    }

    public void setQueue(long messagesNumber, long messagesSizeBytes) {
        platform.setQueue(messagesNumber, messagesSizeBytes);
    }

    /** The next request gets this HTTP status and body (e.g. 502 with an HTML page), whatever it is. */
    public void failNext(int httpStatus, String body) {
        failNext(1, httpStatus, body);
    }

    public synchronized void failNext(int times, int httpStatus, String body) {
        for (int i = 0; i < times; i++) {
            script.add(new Scripted.HttpFailure(httpStatus, Objects.requireNonNull(body)));
        }
    }

    /**
     * The next requests for this operation ({@link Call#field()}: {@code stixBundlePush}, {@code addExpectations},
     * ...) get this HTTP status and body, whatever else is asked meanwhile: a platform failing one operation while
     * the heartbeat and the rest go on.
     */
    public synchronized void failNext(String field, int times, int httpStatus, String body) {
        Deque<Scripted.HttpFailure> queued = scriptByField.computeIfAbsent(Objects.requireNonNull(field),
                f -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queued.add(new Scripted.HttpFailure(httpStatus, Objects.requireNonNull(body)));
        }
    }

    /**
     * The next request of this root field whose variables pass the test gets this HTTP status and body; the others
     * are answered (for a test that must fail one request among several of the same field sent at once).
     */
    public synchronized void failNextWhere(String field, java.util.function.Predicate<JsonNode> variables,
                                           int httpStatus, String body) {
        scriptByField.computeIfAbsent(Objects.requireNonNull(field), f -> new ArrayDeque<>())
                .add(new Scripted.HttpFailure(httpStatus, Objects.requireNonNull(body), variables));
    }

    /**
     * The next valid, logged-in request gets HTTP 200 with this message in {@code errors} (code and name
     * UNKNOWN_ERROR) from its first root field, which then does nothing (null data, as a failing resolver gives).
     */
    public void errorNext(String graphqlErrorMessage) {
        errorNext(1, graphqlErrorMessage);
    }

    public synchronized void errorNext(int times, String graphqlErrorMessage) {
        for (int i = 0; i < times; i++) {
            script.add(new Scripted.GraphQlError(Objects.requireNonNull(graphqlErrorMessage)));
        }
    }

    /** Every request, in order. */
    public List<Call> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    /** The requests whose {@link Call#field()} is this one, in order. */
    public List<Call> calls(String field) {
        return calls().stream().filter(c -> field.equals(c.field())).toList();
    }

    /** The requests the platform would have refused before running them. A correct client leaves this empty. */
    public List<ValidationFailure> validationFailures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    public List<Work> works() {
        return platform.works();
    }

    public List<PushedBundle> bundles() {
        return platform.bundles();
    }

    /**
     * The platform's view of a STIX object: every stixBundlePush and {@link #ingest} so far applied as OpenCTI's
     * upsert applies them (a property sent replaces the stored one, a property not sent is left as it was); null
     * when no bundle carried this id.
     */
    public JsonNode object(String stixId) {
        return platform.knowledge(stixId);
    }

    /**
     * The worker's side for messages the test consumed from the push queue (pycti's envelope decoded by
     * {@link PushQueue#bundle}): their objects are upserted into {@link #object}'s view, in the order given.
     */
    public void ingest(JsonNode bundle) {
        platform.ingest(bundle.path("objects"));
    }

    /** Plays the platform's worker splitting a pushed bundle: it adds that many expectations to the work. */
    public void workerAddsExpectations(String workId, int expectations) {
        platform.addExpectations(workId, expectations);
    }

    /** An observable the platform holds, with the definitions of its TLP markings ("TLP:RED", ...). */
    public void addObservable(String value, String... tlpDefinitions) {
        platform.addObservable(value, List.of(tlpDefinitions));
    }

    /** The labels created through labelAdd: normalised value to colour, in creation order. */
    public Map<String, String> labels() {
        return platform.labels();
    }

    /**
     * Declares that the test provokes refusals on purpose (a wrong path, a field the schema lacks, ...); without it
     * {@link #close()} fails the test on the first refused operation.
     */
    public FakeOpenCti expectRefusals() {
        refusalsExpected = true;
        return this;
    }

    /**
     * Stops the server and, unless {@link #expectRefusals()} was declared, fails with every operation the platform
     * would have refused: a client that sends one is broken whatever else the test asserts. Closing twice is a no-op.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        server.stop(0);
        List<ValidationFailure> refused = validationFailures();
        if (!refusalsExpected && !refused.isEmpty()) {
            throw new AssertionError(refused.size() + " operation(s) that OpenCTI would refuse (call expectRefusals() "
                    + "if the test provokes them on purpose): " + refused);
        }
    }

    // endregion
    // region request handling

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Answer answer = answer(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), headers, body);
            calls.add(new Call(answer.request.field(), answer.request.fields(), answer.request.name(),
                    answer.request.query(), answer.request.variables(), Collections.unmodifiableMap(headers),
                    answer.status, answer.outcome));
            if (answer.outcome == Outcome.INVALID) {
                failures.add(new ValidationFailure(answer.request.name(), answer.request.query(), answer.messages));
            }
            byte[] out = answer.body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", answer.contentType);
            exchange.sendResponseHeaders(answer.status, out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                exchange.getResponseBody().write(out);
            }
        }
    }

    /** What was understood of a request, for the record. */
    private record Request(String query, String operationName, JsonNode variables, Document document) {
        static final Request NONE = new Request(null, null, JsonNodeFactory.instance.objectNode(), null);

        /** The operationName member, else (pycti sends none) the name of the document's only operation. */
        String name() {
            if (operationName != null || document == null) {
                return operationName;
            }
            List<OperationDefinition> ops = document.getDefinitionsOfType(OperationDefinition.class);
            return ops.size() == 1 ? ops.get(0).getName() : null;
        }

        String field() {
            List<String> f = fields();
            return f.isEmpty() ? null : f.get(0);
        }

        List<String> fields() {
            if (document == null) {
                return List.of();
            }
            List<String> names = new ArrayList<>();
            for (OperationDefinition op : document.getDefinitionsOfType(OperationDefinition.class)) {
                if (operationName == null || operationName.equals(op.getName())) {
                    for (Field f : op.getSelectionSet().getSelectionsOfType(Field.class)) {
                        // workEdit is only a namespace: the operation is its sub-field, as pycti names it
                        if (f.getName().equals("workEdit") && f.getSelectionSet() != null) {
                            f.getSelectionSet().getSelectionsOfType(Field.class).forEach(s -> names.add(s.getName()));
                        } else {
                            names.add(f.getName());
                        }
                    }
                }
            }
            return names;
        }
    }

    private record Answer(Request request, int status, String contentType, String body, Outcome outcome,
                          List<String> messages) {
    }

    private Answer answer(String method, String path, Map<String, List<String>> headers, byte[] raw) {
        Request request = Request.NONE;
        Scripted.HttpFailure failure = takeHttpFailure(raw);
        if (failure != null) {
            String type = failure.body().stripLeading().startsWith("<") ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
            return new Answer(readLeniently(raw), failure.status(), type, failure.body(), Outcome.HTTP_FAILURE, List.of());
        }
        if (!path.equals("/graphql") && !path.startsWith("/graphql/")) {
            // express' answer to a route it does not know (Apollo is mounted with app.use, a prefix match)
            return new Answer(request, 404, "text/html; charset=utf-8",
                    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Error</title>\n</head>\n"
                            + "<body>\n<pre>Cannot " + method + " " + path + "</pre>\n</body>\n</html>\n",
                    Outcome.INVALID, List.of("no route " + method + " " + path));
        }
        // Apollo Server 4's HTTP-level refusals: status 400 and a BAD_REQUEST error
        String contentType = first(headers, "Content-Type");
        JsonNode json = null;
        if ("POST".equals(method) && contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            try {
                json = JSON.readTree(raw);
            } catch (IOException e) {
                json = null;
            }
        }
        if (json == null || !json.isObject() || json.isEmpty()) {
            return badRequest(request, "POST body missing, invalid Content-Type, or JSON object has no keys.");
        }
        JsonNode variables = json.path("variables");
        request = new Request(json.path("query").isTextual() ? json.get("query").asText() : null,
                json.path("operationName").isTextual() ? json.get("operationName").asText() : null,
                variables.isObject() ? variables : JsonNodeFactory.instance.objectNode(), null);
        if (request.query() == null || request.query().isBlank()) {
            return badRequest(request, "GraphQL operations must contain a non-empty `query` or a `persistedQuery` extension.");
        }
        if (!variables.isMissingNode() && !variables.isNull() && !variables.isObject()) {
            return badRequest(request, "`variables` in a POST body should be provided as an object.");
        }
        return run(request, first(headers, "Authorization"));
    }

    private Answer run(Request parsedRequest, String authorization) {
        Document document;
        try {
            document = Parser.parse(parsedRequest.query());
        } catch (InvalidSyntaxException e) {
            return refused(parsedRequest, "GRAPHQL_PARSE_FAILED", List.of(new Refusal(e.getMessage(),
                    e.getLocation() == null ? List.of() : List.of(e.getLocation()))));
        }
        Request request = new Request(parsedRequest.query(), parsedRequest.operationName(), parsedRequest.variables(), document);
        List<ValidationError> invalid = graphql.ParseAndValidate.validate(schema, document, Locale.ENGLISH);
        if (!invalid.isEmpty()) {
            return refused(request, "GRAPHQL_VALIDATION_FAILED",
                    invalid.stream().map(e -> new Refusal(e.getMessage(), e.getLocations())).toList());
        }
        long operations = document.getDefinitionsOfType(OperationDefinition.class).stream()
                .filter(op -> request.operationName() == null || request.operationName().equals(op.getName())).count();
        if (operations != 1) {
            return refused(request, "OPERATION_RESOLUTION_FAILURE", List.of(new Refusal(request.operationName() == null
                    ? "Must provide operation name if query contains multiple operations."
                    : "Unknown operation named \"" + request.operationName() + "\".", List.of())));
        }
        Map<String, Object> variables = JSON.convertValue(request.variables(), new TypeReference<Map<String, Object>>() {
        });
        List<InputCheck.Problem> problems = InputCheck.check(schema, document,
                request.operationName(), variables);
        if (!problems.isEmpty()) {
            return refused(request, "BAD_USER_INPUT",
                    problems.stream().map(p -> new Refusal(p.message(), List.of())).toList());
        }
        boolean authenticated = authorization != null && authorization.equals("Bearer " + token);
        PlatformError injected = takeGraphQlError();
        RequestScope scope = new RequestScope(platform, authenticated, injected);
        ExecutionInput input = ExecutionInput.newExecutionInput(request.query())
                .operationName(request.operationName())
                .variables(variables)
                .graphQLContext(Map.of(RequestScope.class, scope, Document.class, document))
                .build();
        ExecutionResult result = graphQL.execute(input);
        PlatformError unused = scope.unusedInjected();
        if (unused != null) {
            giveBack(unused);
        }
        Map<String, Object> spec = result.toSpecification();
        List<Map<String, Object>> errors = platformErrors(result.getErrors());
        Outcome outcome = Outcome.OK;
        if (!errors.isEmpty()) {
            spec.put("errors", errors);
            boolean auth = errors.stream().anyMatch(e -> "AUTH_REQUIRED".equals(e.get("name")));
            outcome = auth ? Outcome.AUTH_REQUIRED : Outcome.GRAPHQL_ERROR;
        }
        return new Answer(request, 200, "application/json; charset=utf-8", write(spec), outcome, List.of());
    }

    /** One reason to refuse a request, where it is in the operation text if known. */
    private record Refusal(String message, List<SourceLocation> locations) {
    }

    /** A request refused before execution: HTTP 200 (httpResponsePlugin.js), errors only, no data. */
    private Answer refused(Request request, String code, List<Refusal> refusals) {
        List<Map<String, Object>> errors = new ArrayList<>();
        for (Refusal refusal : refusals) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("message", refusal.message());
            if (!refusal.locations().isEmpty()) {
                e.put("locations", refusal.locations().stream()
                        .map(l -> Map.of("line", l.getLine(), "column", l.getColumn())).toList());
            }
            e.put("extensions", Map.of("code", code));
            e.put("name", code);
            errors.add(e);
        }
        return new Answer(request, 200, "application/json; charset=utf-8", write(Map.of("errors", errors)),
                Outcome.INVALID, refusals.stream().map(Refusal::message).toList());
    }

    private Answer badRequest(Request request, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("extensions", Map.of("code", "BAD_REQUEST"));
        error.put("name", "BAD_REQUEST");
        return new Answer(request, 400, "application/json; charset=utf-8", write(Map.of("errors", List.of(error))),
                Outcome.INVALID, List.of(message));
    }

    /** graphql-java's errors in the platform's format: a code in extensions (Apollo's default for others) and name. */
    private static List<Map<String, Object>> platformErrors(List<GraphQLError> errors) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (GraphQLError error : errors) {
            Map<String, Object> e = new LinkedHashMap<>(error.toSpecification());
            @SuppressWarnings("unchecked")
            Map<String, Object> extensions = new LinkedHashMap<>(
                    (Map<String, Object>) e.getOrDefault("extensions", Map.of()));
            extensions.remove("classification"); // graphql-java's own; the platform has no such member
            extensions.putIfAbsent("code", "INTERNAL_SERVER_ERROR");
            e.put("extensions", extensions);
            e.put("name", extensions.get("code"));
            out.add(e);
        }
        return out;
    }

    private synchronized Scripted.HttpFailure takeHttpFailure(byte[] raw) {
        if (script.peek() instanceof Scripted.HttpFailure failure) {
            script.poll();
            return failure;
        }
        if (scriptByField.values().stream().allMatch(Deque::isEmpty)) {
            return null;
        }
        Request request = readLeniently(raw);
        Deque<Scripted.HttpFailure> forField = scriptByField.get(request.field());
        return forField == null || forField.isEmpty() || !forField.peek().when().test(request.variables()) ? null
                : forField.poll();
    }

    private synchronized PlatformError takeGraphQlError() {
        if (script.peek() instanceof Scripted.GraphQlError error) {
            script.poll();
            return PlatformError.injected("UNKNOWN_ERROR", error.message());
        }
        return null;
    }

    private synchronized void giveBack(PlatformError injected) {
        script.addFirst(new Scripted.GraphQlError(injected.getMessage()));
    }

    private static Request readLeniently(byte[] raw) {
        try {
            JsonNode json = JSON.readTree(raw);
            String query = json.path("query").isTextual() ? json.get("query").asText() : null;
            Document document = null;
            try {
                document = query == null ? null : Parser.parse(query);
            } catch (InvalidSyntaxException e) {
                document = null;
            }
            JsonNode variables = json.path("variables");
            return new Request(query, json.path("operationName").isTextual() ? json.get("operationName").asText() : null,
                    variables.isObject() ? variables : JsonNodeFactory.instance.objectNode(), document);
        } catch (IOException | RuntimeException e) {
            return Request.NONE;
        }
    }

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // endregion

    /** JSON.stringify prints a whole double without ".0" (500.0 is 500); so does the platform, so does this fake. */
    private static final class JavaScriptNumberSerializer extends StdSerializer<Double> {
        JavaScriptNumberSerializer() {
            super(Double.class);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            double d = value;
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.007199254740992E15) {
                gen.writeNumber((long) d);
            } else {
                gen.writeNumber(d);
            }
        }
    }

    /** Settings of a fake platform; every one has the default a test usually wants. */
    public static final class Builder {
        private String token = DEFAULT_TOKEN;
        private String version = DEFAULT_VERSION;
        private String connectorUserId = DEFAULT_CONNECTOR_USER_ID;
        private RabbitMq rabbitMq = RabbitMq.DEFAULT;
        private S3 s3 = S3.DEFAULT;
        private String queuePrefix = "";
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder token(String token) {
            this.token = Objects.requireNonNull(token);
            return this;
        }

        /** What {@code about { version }} answers. */
        public Builder version(String version) {
            this.version = Objects.requireNonNull(version);
            return this;
        }

        /** What registerConnector answers as connector_user_id (the token's user; pycti's applicant_id). */
        public Builder connectorUserId(String id) {
            this.connectorUserId = Objects.requireNonNull(id);
            return this;
        }

        public Builder rabbitMq(RabbitMq rabbitMq) {
            this.rabbitMq = Objects.requireNonNull(rabbitMq);
            return this;
        }

        public Builder s3(S3 s3) {
            this.s3 = Objects.requireNonNull(s3);
            return this;
        }

        /** rabbitmq:queue_prefix: queue, routing and exchange names get "{prefix}_" in front. */
        public Builder queuePrefix(String prefix) {
            this.queuePrefix = Objects.requireNonNull(prefix);
            return this;
        }

        /** The platform's clock: work ids, updated_at, active. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public FakeOpenCti start() throws IOException {
            return new FakeOpenCti(this);
        }
    }
}
