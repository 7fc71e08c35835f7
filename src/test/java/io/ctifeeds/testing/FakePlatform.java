package io.ctifeeds.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import graphql.schema.DataFetchingEnvironment;

/**
 * The platform's side of the connector protocol, in memory: connectors with their state and reset flag, works,
 * pushed bundles. Each resolver follows the 6.9.17 code named in its comment (paths under
 * {@code opencti-platform/opencti-graphql/src/}); PROTOCOL.md §1–§4 describes the same behaviour.
 * All methods run under the instance lock: the HTTP server is single-threaded, tests read from other threads.
 */
final class FakePlatform {

    /** Resolves one field, like a graphql-js resolver. */
    @FunctionalInterface
    interface Resolver {
        Object resolve(DataFetchingEnvironment env);
    }

    /** Everything a test can configure. */
    record Settings(String version, String connectorUserId, FakeOpenCti.RabbitMq rabbitMq, FakeOpenCti.S3 s3,
                    String queuePrefix, Clock clock) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final Map<String, Resolver> resolvers = new HashMap<>();
    private final Map<String, ConnectorRecord> connectors = new LinkedHashMap<>();
    private final Map<String, WorkRecord> works = new LinkedHashMap<>();
    private final List<FakeOpenCti.PushedBundle> bundles = new ArrayList<>();
    private final Map<String, Map<String, Object>> labels = new LinkedHashMap<>();
    private final Map<String, List<String>> observables = new HashMap<>();
    private final Map<String, ObjectNode> knowledge = new LinkedHashMap<>();
    private String lastRegistered;
    private long queueMessagesNumber;
    private long queueMessagesSize;

    FakePlatform(Settings settings) {
        this.settings = settings;
        resolvers.put("Query.about", env -> about());
        resolvers.put("Query.connector", env -> connector(env.getArgument("id")));
        resolvers.put("Query.connectors", env -> connectors());
        resolvers.put("Query.work", env -> work(env.getArgument("id")));
        resolvers.put("Query.isWorkAlive", env -> isWorkAlive(env.getArgument("id")));
        resolvers.put("Mutation.registerConnector", env -> registerConnector(env.getArgument("input")));
        resolvers.put("Mutation.pingConnector", env -> pingConnector(env.getArgument("id"), env.getArgument("state"),
                env.getArgument("connectorInfo")));
        resolvers.put("Mutation.resetStateConnector", env -> resetStateConnector(env.getArgument("id")));
        resolvers.put("Mutation.deleteConnector", env -> deleteConnector(env.getArgument("id")));
        resolvers.put("Mutation.workAdd", env -> workAdd(env.getArgument("connectorId"), env.getArgument("friendlyName"),
                Boolean.TRUE.equals(env.getArgument("isMultiPartWork"))));
        // workEdit only carries the id; the WorkEditMutations fields below do the work, as in resolvers/connector.js
        resolvers.put("Mutation.workEdit", env -> Map.of("id", env.getArgument("id")));
        resolvers.put("WorkEditMutations.delete", env -> workDelete(workId(env)));
        resolvers.put("WorkEditMutations.ping", env -> workId(env));
        resolvers.put("WorkEditMutations.reportExpectation", env -> reportExpectation(workId(env), env.getArgument("error")));
        resolvers.put("WorkEditMutations.addExpectations", env -> addExpectations(workId(env), env.getArgument("expectations")));
        resolvers.put("WorkEditMutations.addDraftContext", env -> addDraftContext(workId(env), env.getArgument("draftContext")));
        resolvers.put("WorkEditMutations.toReceived", env -> toReceived(workId(env), env.getArgument("message")));
        resolvers.put("WorkEditMutations.toProcessed", env -> toProcessed(workId(env), env.getArgument("message"),
                env.getArgument("inError")));
        resolvers.put("Mutation.stixBundlePush", env -> stixBundlePush(env.getArgument("connectorId"),
                env.getArgument("bundle"), env.getArgument("work_id")));
        resolvers.put("Connector.works", env -> connectorWorks(((Map<?, ?>) env.getSource()).get("id")));
        resolvers.put("Mutation.labelAdd", env -> labelAdd(env.getArgument("input")));
        resolvers.put("Query.stixCyberObservables", env -> stixCyberObservables(env.getArgument("filters"),
                env.getArgument("first")));
    }

    Resolver resolver(String type, String field) {
        return resolvers.get(type + "." + field);
    }

    private static String workId(DataFetchingEnvironment env) {
        return (String) ((Map<?, ?>) env.getSource()).get("id");
    }

    private Instant now() {
        return settings.clock().instant();
    }

    // region queries

    private Map<String, Object> about() {
        Map<String, Object> about = new LinkedHashMap<>();
        about.put("version", settings.version());
        about.put("dependencies", List.of());
        return about;
    }

    private synchronized Map<String, Object> connector(String id) {
        ConnectorRecord c = connectors.get(id);
        return c == null ? null : connectorMap(c);
    }

    private synchronized List<Map<String, Object>> connectors() {
        return connectors.values().stream().map(this::connectorMap).toList();
    }

    private synchronized Map<String, Object> work(String id) {
        WorkRecord w = works.get(id);
        return w == null ? null : workMap(w);
    }

    /** domain/work.js isWorkAlive: the work's Redis entry exists, i.e. it was created and not deleted. */
    private synchronized boolean isWorkAlive(String id) {
        return works.containsKey(id);
    }

    private synchronized List<Map<String, Object>> connectorWorks(Object connectorId) {
        return works.values().stream().filter(w -> w.connectorId.equals(connectorId)).map(this::workMap).toList();
    }

    // endregion
    // region connectors

    /** domain/connector.ts registerConnector: creates or patches, and never touches connector_state. */
    private synchronized Map<String, Object> registerConnector(Map<String, Object> input) {
        String id = (String) input.get("id");
        ConnectorRecord c = connectors.get(id);
        Instant now = now();
        if (c == null) {
            c = new ConnectorRecord(id, now);
            connectors.put(id, c);
        }
        c.name = (String) input.get("name");
        c.type = String.valueOf(input.get("type"));
        @SuppressWarnings("unchecked")
        List<String> scope = (List<String>) input.get("scope");
        c.scope = scope == null ? List.of() : List.copyOf(scope);
        c.auto = (Boolean) input.get("auto");
        c.autoUpdate = (Boolean) input.get("auto_update");
        c.enrichmentResolution = (String) input.get("enrichment_resolution");
        c.onlyContextual = (Boolean) input.get("only_contextual");
        c.playbookCompatible = input.get("playbook_compatible") == null ? Boolean.FALSE : (Boolean) input.get("playbook_compatible");
        c.listenCallbackUri = (String) input.get("listen_callback_uri");
        c.userId = settings.connectorUserId();
        c.updatedAt = now;
        lastRegistered = id;
        return connectorMap(c);
    }

    /**
     * domain/connector.ts pingConnector and updateConnectorWithConnectorInfo: a pending reset only clears the flag
     * (the sent state is dropped and updated_at stays), otherwise the sent state is stored; connector_info always is.
     */
    private synchronized Map<String, Object> pingConnector(String id, String state, Map<String, Object> info) {
        ConnectorRecord c = connectors.get(id);
        if (c == null) {
            throw PlatformError.functional("No connector found with the specified ID", Map.of("id", id));
        }
        if (c.stateReset) {
            c.stateReset = false;
        } else {
            c.state = state;
            c.updatedAt = now();
        }
        if (info != null) {
            c.info = new LinkedHashMap<>(info);
        }
        return connectorMap(c);
    }

    /** domain/connector.ts resetStateConnector, the UI's "reset state": state '' and the reset flag. */
    synchronized Map<String, Object> resetStateConnector(String id) {
        ConnectorRecord c = connectors.get(id);
        if (c == null) {
            throw PlatformError.functional("No connector found with the specified ID", Map.of("id", id));
        }
        c.state = "";
        c.stateReset = true;
        c.stateTimestamp = now();
        return connectorMap(c);
    }

    /** domain/connector.ts connectorDelete: the connector and its works go. */
    private synchronized String deleteConnector(String id) {
        if (connectors.remove(id) == null) {
            throw PlatformError.internal("Cannot read properties of undefined (reading 'internal_id')");
        }
        works.values().removeIf(w -> w.connectorId.equals(id));
        return id;
    }

    private Map<String, Object> connectorMap(ConnectorRecord c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id);
        m.put("standard_id", "connector--" + c.id);
        m.put("entity_type", "Connector");
        m.put("parent_types", List.of("Basic-Object", "Internal-Object"));
        m.put("name", c.name);
        m.put("title", c.name);
        // repository.js completeConnector: active means pinged or registered within 5 minutes
        m.put("active", Duration.between(c.updatedAt, now()).compareTo(Duration.ofMinutes(5)) < 0);
        m.put("auto", c.auto);
        m.put("auto_update", c.autoUpdate);
        m.put("enrichment_resolution", c.enrichmentResolution);
        m.put("only_contextual", c.onlyContextual);
        m.put("playbook_compatible", c.playbookCompatible);
        m.put("connector_type", c.type);
        m.put("connector_scope", c.scope);
        m.put("connector_state", c.state);
        m.put("connector_state_reset", c.stateReset);
        m.put("connector_state_timestamp", c.stateTimestamp);
        m.put("connector_user_id", c.userId);
        m.put("connector_queue_details", Map.of("messages_number", queueMessagesNumber, "messages_size", queueMessagesSize));
        m.put("connector_info", c.info);
        m.put("connector_priority_group", "DEFAULT");
        m.put("updated_at", c.updatedAt);
        m.put("created_at", c.createdAt);
        m.put("config", config(c));
        m.put("is_managed", false);
        m.put("built_in", false);
        return m;
    }

    /** database/rabbitmq.js connectorConfig. */
    private Map<String, Object> config(ConnectorRecord c) {
        String p = settings.queuePrefix().isEmpty() ? "" : settings.queuePrefix() + "_";
        FakeOpenCti.RabbitMq mq = settings.rabbitMq();
        FakeOpenCti.S3 s3 = settings.s3();
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("host", mq.host());
        connection.put("vhost", mq.vhost());
        connection.put("use_ssl", mq.useSsl());
        connection.put("port", mq.port());
        connection.put("user", mq.user());
        connection.put("pass", mq.pass());
        Map<String, Object> s3Map = new LinkedHashMap<>();
        s3Map.put("endpoint", s3.endpoint());
        s3Map.put("port", s3.port());
        s3Map.put("use_ssl", s3.useSsl());
        s3Map.put("bucket_name", s3.bucketName());
        s3Map.put("bucket_region", s3.bucketRegion());
        s3Map.put("access_key", s3.accessKey());
        s3Map.put("secret_key", s3.secretKey());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("connection", connection);
        config.put("s3", s3Map);
        config.put("push", p + "push_" + c.id);
        config.put("push_routing", p + "push_routing_" + c.id);
        config.put("push_exchange", p + "amqp.worker.exchange");
        config.put("listen", p + "listen_" + c.id);
        config.put("listen_routing", p + "listen_routing_" + c.id);
        config.put("listen_exchange", p + "amqp.connector.exchange");
        config.put("listen_callback_uri", c.listenCallbackUri);
        config.put("dead_letter_routing", p + "listen_routing_too-large-bundle");
        return config;
    }

    // endregion
    // region works

    /**
     * resolvers/connector.js workAdd and domain/work.js createWork; the id is schema/identifier.js generateWorkId.
     * isMultiPartWork exists from 7.260422.0 on (the 6.9.17 schema refuses it before this runs).
     */
    private synchronized Map<String, Object> workAdd(String connectorId, String friendlyName, boolean multipart) {
        ConnectorRecord c = connectors.get(connectorId);
        if (c == null) {
            // connector() answers null and workAdd reads null.id: a plain JavaScript TypeError
            throw PlatformError.internal("Cannot read properties of null (reading 'id')");
        }
        WorkRecord w = createWork(c, friendlyName);
        w.multipart = multipart;
        return workMap(w);
    }

    private WorkRecord createWork(ConnectorRecord c, String name) {
        Instant now = now();
        WorkRecord w = new WorkRecord("work_" + c.id + "_" + OpenCtiScalars.toIsoString(now), c.id, name, now);
        works.put(w.id, w);
        return w;
    }

    private synchronized String workDelete(String id) {
        works.remove(id);
        return id;
    }

    /** domain/work.js updateExpectationsNumber. A missing work is only logged by the platform. */
    synchronized String addExpectations(String id, Integer expectations) {
        WorkRecord w = works.get(id);
        if (w != null && expectations != null) {
            w.expectations += expectations;
        }
        return id;
    }

    /** domain/work.js reportExpectation: the worker's "one bundle done"; the work completes when all are. */
    private synchronized String reportExpectation(String id, Map<String, Object> error) {
        WorkRecord w = works.get(id);
        if (w == null) {
            return id;
        }
        w.reported++;
        if (error != null) {
            w.errors.add(String.valueOf(error.get("error")));
        }
        // 7.x work.js:334: a multipart work completes only once toProcessed came, and with >=; 6.9: ===
        if (w.multipart ? w.processed && w.reported >= w.expectations : w.reported == w.expectations) {
            w.complete(w.reported, now());
        }
        return id;
    }

    private synchronized String addDraftContext(String id, String draftContext) {
        WorkRecord w = works.get(id);
        if (w != null) {
            w.draftContext = draftContext;
        }
        return id;
    }

    /** domain/work.js updateReceivedTime. */
    private synchronized String toReceived(String id, String message) {
        WorkRecord w = works.get(id);
        if (w != null) {
            w.status = "progress";
            w.receivedTime = now();
            if (message != null && !message.isEmpty()) {
                w.messages.add(message);
            }
        }
        return id;
    }

    /**
     * domain/work.js updateProcessedTime: the work completes now if it expects nothing or everything was reported;
     * the message goes to errors when inError.
     */
    private synchronized String toProcessed(String id, String message, Boolean inError) {
        WorkRecord w = works.get(id);
        if (w == null) {
            return id;
        }
        boolean error = Boolean.TRUE.equals(inError);
        w.processed = true;
        w.message = message;
        w.inError = error;
        w.processedTime = now();
        // on a multipart work (7.x work.js:467-479) too; otherwise the last reportExpectation completes it
        if (w.expectations == 0 || w.reported >= w.expectations) {
            w.complete(w.reported > 0 ? w.reported : 1, w.processedTime);
        }
        if (message != null && !message.isEmpty()) {
            (error ? w.errors : w.messages).add(message);
        }
        return id;
    }

    /**
     * domain/stix.js sendStixBundle: a bundle needs type "bundle" and objects; without a work id the platform
     * opens a work itself (with one expectation when the bundle has one object, since the worker will not split).
     */
    private synchronized boolean stixBundlePush(String connectorId, String bundle, String workId) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(bundle);
        } catch (JsonProcessingException e) {
            throw PlatformError.unsupported("Invalid bundle", Map.of());
        }
        JsonNode objects = parsed == null ? null : parsed.get("objects");
        ConnectorRecord c = connectors.get(connectorId);
        if (!"bundle".equals(parsed.path("type").asText()) || objects == null || !objects.isArray()
                || objects.isEmpty() || c == null) {
            throw PlatformError.unsupported("Invalid bundle", Map.of());
        }
        String target = workId;
        if (target == null || target.isEmpty()) {
            WorkRecord w = createWork(c, c.name + " run @ " + OpenCtiScalars.toIsoString(now()));
            if (objects.size() == 1) {
                w.expectations += 1;
            }
            target = w.id;
        }
        bundles.add(new FakeOpenCti.PushedBundle(connectorId, workId, target, bundle));
        ingest(objects);
        return true;
    }

    /**
     * What the worker does with each object of a bundle, as far as the object's properties go: an object whose
     * id is known is upserted, every property it carries replacing the stored one and every property it lacks
     * left as it was (an absent {@code revoked} does not un-revoke an indicator); a new id is stored as sent.
     */
    synchronized void ingest(JsonNode objects) {
        for (JsonNode object : objects) {
            String id = object.path("id").asText(null);
            if (id == null || !object.isObject()) {
                continue;
            }
            ObjectNode stored = knowledge.get(id);
            if (stored == null) {
                knowledge.put(id, ((ObjectNode) object).deepCopy());
            } else {
                object.fields().forEachRemaining(e -> stored.set(e.getKey(), e.getValue().deepCopy()));
            }
        }
    }

    /** The platform's view of an object after every upsert so far, or null. */
    synchronized JsonNode knowledge(String id) {
        ObjectNode stored = knowledge.get(id);
        return stored == null ? null : stored.deepCopy();
    }

    // region knowledge the connector reads or creates

    /**
     * domain/label.js addLabel: createEntity with upsert on the standard id (the trimmed, lower-cased value), so an
     * existing label comes back as it is, colour included.
     */
    private synchronized Map<String, Object> labelAdd(Map<String, Object> input) {
        String value = String.valueOf(input.get("value"));
        String key = value.strip().toLowerCase(java.util.Locale.ROOT);
        return labels.computeIfAbsent(key, k -> {
            Map<String, Object> label = new LinkedHashMap<>();
            label.put("id", java.util.UUID.randomUUID().toString());
            label.put("standard_id", input.get("stix_id"));
            label.put("value", value);
            label.put("color", input.get("color"));
            return label;
        });
    }

    /** The observables whose value is among the first filter's values (the only filter the connector sends). */
    @SuppressWarnings("unchecked")
    private synchronized Map<String, Object> stixCyberObservables(Map<String, Object> filters, Integer first) {
        List<Object> wanted = List.of();
        if (filters != null && filters.get("filters") instanceof List<?> list && !list.isEmpty()) {
            Map<String, Object> filter = (Map<String, Object>) list.get(0);
            if (List.of("value").equals(filter.get("key"))) {
                wanted = (List<Object>) filter.get("values");
            }
        }
        List<Map<String, Object>> edges = new ArrayList<>();
        for (Object value : wanted) {
            List<String> markings = observables.get(String.valueOf(value));
            if (markings == null || (first != null && edges.size() >= first)) {
                continue;
            }
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("__typename", String.valueOf(value).contains(":") ? "IPv6Addr" : "IPv4Addr");
            node.put("observable_value", value);
            node.put("objectMarking", markings.stream().map(m -> Map.of("definition_type", "TLP", "definition", m))
                    .toList());
            edges.add(Map.of("cursor", Integer.toString(edges.size()), "node", node));
        }
        return Map.of("edges", edges, "pageInfo", Map.of("hasNextPage", false, "hasPreviousPage", false,
                "globalCount", edges.size()));
    }

    synchronized void addObservable(String value, List<String> tlpDefinitions) {
        observables.put(value, List.copyOf(tlpDefinitions));
    }

    synchronized Map<String, String> labels() {
        Map<String, String> colors = new LinkedHashMap<>();
        labels.forEach((k, v) -> colors.put(k, (String) v.get("color")));
        return colors;
    }

    // endregion

    private Map<String, Object> workMap(WorkRecord w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id);
        m.put("name", w.name);
        m.put("timestamp", w.timestamp);
        m.put("status", w.status);
        m.put("event_source_id", w.connectorId);
        m.put("received_time", w.receivedTime);
        m.put("processed_time", w.processedTime);
        m.put("completed_time", w.completedTime);
        m.put("completed_number", w.completedNumber);
        m.put("messages", w.messages.stream().map(x -> Map.of("message", x)).toList());
        m.put("errors", w.errors.stream().map(x -> Map.of("message", x)).toList());
        Map<String, Object> tracking = new LinkedHashMap<>();
        tracking.put("import_expected_number", w.expectations);
        tracking.put("import_processed_number", w.reported);
        m.put("tracking", tracking);
        m.put("draft_context", w.draftContext);
        ConnectorRecord c = connectors.get(w.connectorId);
        m.put("connector", c == null ? null : connectorMap(c));
        return m;
    }

    // endregion
    // region test controls

    /** resetStateConnector on every registered connector (normally the one under test). */
    synchronized void resetAll() {
        if (connectors.isEmpty()) {
            throw new IllegalStateException("no connector registered yet: the UI can only reset an existing one");
        }
        connectors.keySet().forEach(this::resetStateConnector);
    }

    synchronized void setState(String state) {
        connector().state = state;
    }

    synchronized String state() {
        return connectors.isEmpty() ? null : connector().state;
    }

    synchronized boolean stateResetPending() {
        return !connectors.isEmpty() && connector().stateReset;
    }

    synchronized Map<String, Object> connectorInfo() {
        return connectors.isEmpty() || connector().info == null ? null : Map.copyOf(connector().info);
    }

    /** The connector registered last: tests run one connector. */
    private ConnectorRecord connector() {
        ConnectorRecord c = lastRegistered == null ? null : connectors.get(lastRegistered);
        if (c == null) {
            throw new IllegalStateException("no connector registered yet");
        }
        return c;
    }

    synchronized void setQueue(long messagesNumber, long messagesSize) {
        queueMessagesNumber = messagesNumber;
        queueMessagesSize = messagesSize;
    }

    synchronized List<FakeOpenCti.Work> works() {
        return works.values().stream().map(WorkRecord::snapshot).toList();
    }

    synchronized List<FakeOpenCti.PushedBundle> bundles() {
        return List.copyOf(bundles);
    }

    // endregion

    private static final class ConnectorRecord {
        final String id;
        final Instant createdAt;
        String name;
        String type;
        List<String> scope = List.of();
        Boolean auto;
        Boolean autoUpdate;
        String enrichmentResolution;
        Boolean onlyContextual;
        Boolean playbookCompatible;
        String listenCallbackUri;
        String userId;
        String state;
        boolean stateReset;
        Instant stateTimestamp;
        Instant updatedAt;
        Map<String, Object> info;

        ConnectorRecord(String id, Instant now) {
            this.id = id;
            this.createdAt = now;
            this.stateTimestamp = now;
            this.updatedAt = now;
        }
    }

    private static final class WorkRecord {
        final String id;
        final String connectorId;
        final String name;
        final Instant timestamp;
        String status = "progress";
        int expectations;
        int reported;
        boolean processed;
        String message;
        boolean inError;
        Instant receivedTime;
        Instant processedTime;
        Instant completedTime;
        int completedNumber;
        String draftContext;
        boolean multipart;
        final List<String> messages = new ArrayList<>();
        final List<String> errors = new ArrayList<>();

        WorkRecord(String id, String connectorId, String name, Instant now) {
            this.id = id;
            this.connectorId = connectorId;
            this.name = name;
            this.timestamp = now;
            this.receivedTime = now;
        }

        void complete(int number, Instant at) {
            status = "complete";
            completedNumber = number;
            completedTime = at;
        }

        FakeOpenCti.Work snapshot() {
            return new FakeOpenCti.Work(id, connectorId, name, status, expectations, reported, processed, message,
                    inError, List.copyOf(messages), List.copyOf(errors));
        }
    }
}
