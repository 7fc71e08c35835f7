package io.ctifeeds.opencti;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ctifeeds.metrics.PyctiMetrics;
import io.ctifeeds.stix.Tlp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This connector as OpenCTI knows it: registration (with the selection the platform version accepts), the
 * heartbeat that carries the connector state and picks up a reset from the UI, works, and the queue size
 * the scheduler checks. It never unregisters: deleting the connector would purge its queue and works.
 */
public class OpenCtiConnector {

    private static final Logger LOG = LoggerFactory.getLogger(OpenCtiConnector.class);
    /** pycti's strftime("%Y-%m-%dT%H:%M:%SZ") of next_run_datetime and last_run_datetime */
    static final DateTimeFormatter PYCTI_UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final OpenCtiApi api;
    private final List<Runnable> resetListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> noStateListeners = new CopyOnWriteArrayList<>();
    private String connectorId;
    private String name = "cti-feeds";
    private List<String> scope = List.of();
    private double queueThresholdMb = 500;
    private boolean runAndTerminate;
    private BrokerOverrides brokerOverrides = BrokerOverrides.NONE;
    private volatile Registration registration;
    /** the connector state as pycti keeps it: a JSON object string, or null */
    private volatile String state;
    private volatile String lastRun;
    private volatile double queueMessagesSizeMb;
    private volatile boolean buffering;
    private Supplier<Optional<Instant>> nextRun = Optional::empty;
    private PyctiMetrics metrics = new PyctiMetrics("", "");

    public OpenCtiConnector(OpenCtiApi api) {
        this.api = api;
    }

    public boolean isConfigured() {
        return api.isConfigured();
    }

    /** Registers once; later calls return the registration at hand. */
    public synchronized Registration registration() {
        if (registration == null) {
            register();
        }
        return registration;
    }

    private void register() {
        String version = api.version();
        PlatformVersion platform = PlatformVersion.parse(version);
        ObjectNode input = OpenCtiApi.JSON.createObjectNode();
        input.put("id", connectorId);
        input.put("name", name);
        input.put("type", "EXTERNAL_IMPORT");
        input.set("scope", OpenCtiApi.JSON.valueToTree(scope));
        input.put("auto", false);
        if (platform.atLeast(6, 8, 9)) {
            input.put("auto_update", false);
            input.put("enrichment_resolution", "none");
        }
        input.put("only_contextual", false);
        input.put("playbook_compatible", false);
        if (platform.atLeast(6, 5, 7)) {
            input.putNull("listen_callback_uri");
        }
        ObjectNode variables = OpenCtiApi.JSON.createObjectNode();
        variables.set("input", input);
        JsonNode connector = api.execute(GraphQlOperations.register(platform.atLeast(6, 9, 10)), variables)
                .path("registerConnector");
        if (connector.isMissingNode() || connector.isNull()) {
            throw new OpenCtiException("OpenCTI did not register connector " + connectorId
                    + ": check CONNECTOR_ID and that the token's user may register connectors", true);
        }
        JsonNode config = connector.path("config");
        JsonNode connection = config.path("connection");
        BrokerSettings broker = brokerOverrides.apply(new BrokerSettings(connection.path("host").asText(),
                connection.path("port").asInt(5672), connection.path("vhost").asText("/"),
                connection.path("user").asText(), connection.path("pass").asText(),
                connection.path("use_ssl").asBoolean(false)));
        registration = new Registration(connector.path("id").asText(), connector.path("connector_user_id").asText(),
                broker, config.path("push_exchange").asText(), config.path("push_routing").asText(),
                config.path("push").asText(), platform);
        state = textOrNull(connector.path("connector_state"));
        if (parseState(state) == null) {
            // a new registration, or a state reset while we were away: nothing we delivered is known to be there
            noStateListeners.forEach(Runnable::run);
        }
        LOG.info("registered with OpenCTI {} at {} as connector {} ({}); bundles go to {} via {}",
                OpenCtiApi.said(version), api.url(), OpenCtiApi.said(registration.connectorId()), name, broker,
                OpenCtiApi.said(registration.pushRouting()));
    }

    /**
     * The version of the platform registered with; {@link PlatformVersion#NEWEST} while the connector has not
     * registered (the platform was down), so that ids follow the newest rules until it has.
     */
    public PlatformVersion platformVersion() {
        Registration reg = registration;
        return reg == null ? PlatformVersion.NEWEST : reg.platform();
    }

    /** The platform's RabbitMQ as the registration gave it, or null before the connector has registered. */
    public BrokerSettings registeredBroker() {
        Registration reg = registration;
        return reg == null ? null : reg.broker();
    }

    /**
     * The heartbeat: sends the local state and the connector info, and applies pycti's reset rule: when the
     * platform's state differs from the one sent, the local state is dropped and the reset listeners run.
     */
    public void ping() {
        try {
            pingOnce();
            metrics.pinged();
        } catch (RuntimeException e) {
            metrics.pingFailed();
            throw e;
        }
    }

    private void pingOnce() {
        Registration reg = registration();
        ObjectNode info = OpenCtiApi.JSON.createObjectNode();
        info.put("run_and_terminate", runAndTerminate);
        // pycti's check_connector_buffering: what the last queue check found
        info.put("buffering", buffering);
        info.put("queue_threshold", queueThresholdMb);
        info.put("queue_messages_size", queueMessagesSizeMb);
        Optional<Instant> next = runAndTerminate ? Optional.empty() : nextRun.get();
        if (next.isPresent()) {
            info.put("next_run_datetime", PYCTI_UTC.format(next.get()));
        } else {
            info.putNull("next_run_datetime");
        }
        if (lastRun == null) {
            info.putNull("last_run_datetime");
        } else {
            info.put("last_run_datetime", lastRun);
        }
        String sent = state;
        ObjectNode variables = OpenCtiApi.JSON.createObjectNode();
        variables.put("id", reg.connectorId());
        variables.put("state", sent == null ? "null" : sent);
        variables.set("connectorInfo", info);
        JsonNode answer = api.execute(GraphQlOperations.PING, variables).path("pingConnector");
        if (answer.isNull() || answer.isMissingNode()) {
            throw new OpenCtiException("OpenCTI does not know connector " + reg.connectorId()
                    + " any more (deleted in the UI?): restart to register it again", true);
        }
        JsonNode remote = parseState(textOrNull(answer.path("connector_state")));
        if (!Objects.equals(parseState(sent), remote)) {
            LOG.warn("the connector state was reset in OpenCTI: the next runs start from scratch "
                    + "and send their feeds in full");
            state = null;
            resetListeners.forEach(Runnable::run);
        }
    }

    /**
     * Runs when the platform has no state for this connector at registration (new to it, or reset in the UI while
     * the connector was stopped), before any run delivers to it.
     */
    public void onNoPlatformState(Runnable listener) {
        noStateListeners.add(listener);
    }

    /** Runs when the UI resets the connector state. */
    public void onReset(Runnable listener) {
        resetListeners.add(listener);
    }

    public String workAdd(String friendlyName) {
        ObjectNode variables = OpenCtiApi.JSON.createObjectNode();
        variables.put("connectorId", registration().connectorId());
        variables.put("friendlyName", friendlyName);
        boolean multipart = registration().platform().atLeast(PlatformVersion.MULTIPART_WORKS);
        if (multipart) {
            variables.put("isMultiPartWork", true);
        }
        String id = api.execute(multipart ? GraphQlOperations.WORK_ADD_MULTIPART : GraphQlOperations.WORK_ADD,
                variables).path("workAdd").path("id").asText(null);
        if (id == null) {
            throw new OpenCtiException("OpenCTI created no work for connector " + registration().connectorId(),
                    false);
        }
        return id;
    }

    public void addExpectations(String workId, int expectations) {
        ObjectNode variables = OpenCtiApi.JSON.createObjectNode();
        variables.put("id", workId);
        variables.put("expectations", expectations);
        api.execute(GraphQlOperations.ADD_EXPECTATIONS, variables);
    }

    /**
     * Waits, within the bound, until the platform counts at least this many expectations on the work. In API mode
     * the workers add them only when they split the pushed bundles; a work closed before that completes at once
     * (0 expected, 0 processed), long before its data is in. Gives up quietly on the bound or on any error (the
     * token's user may not read works): closing the work early only shows it complete too soon.
     *
     * @return whether the platform counted them in time
     */
    public boolean awaitExpectations(String workId, long expectations, java.time.Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        ObjectNode variables = OpenCtiApi.JSON.createObjectNode();
        variables.put("id", workId);
        try {
            while (true) {
                long counted = api.execute(GraphQlOperations.WORK_EXPECTATIONS, variables).path("work")
                        .path("tracking").path("import_expected_number").asLong(0);
                if (counted >= expectations) {
                    return true;
                }
                if (System.nanoTime() >= deadline) {
                    return false;
                }
                Thread.sleep(200);
            }
        } catch (OpenCtiException e) {
            LOG.debug("cannot read work {} ({})", workId, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void workToProcessed(String workId, String message, boolean inError) {
        ObjectNode variables = OpenCtiApi.JSON.createObjectNode();
        variables.put("id", workId);
        variables.put("message", message);
        variables.put("inError", inError);
        api.execute(GraphQlOperations.TO_PROCESSED, variables);
    }

    /** The size of this connector's queue on the platform, in MB (pycti divides bytes by 1,000,000). */
    public double queueSizeMb() {
        ObjectNode variables = OpenCtiApi.JSON.createObjectNode();
        variables.put("id", registration().connectorId());
        JsonNode details = api.execute(GraphQlOperations.GET_CONNECTOR, variables)
                .path("connector").path("connector_queue_details");
        double size = details.path("messages_size").asDouble(0) / 1_000_000d;
        // the heartbeat reports them as pycti's does
        queueMessagesSizeMb = size;
        buffering = size >= queueThresholdMb;
        return size;
    }

    public double queueThresholdMb() {
        return queueThresholdMb;
    }

    public void stixBundlePush(String bundle, String workId) {
        ObjectNode variables = OpenCtiApi.JSON.createObjectNode();
        variables.put("connectorId", registration().connectorId());
        variables.put("bundle", bundle);
        if (workId == null) {
            variables.putNull("work_id");
        } else {
            variables.put("work_id", workId);
        }
        JsonNode pushed = api.execute(GraphQlOperations.STIX_BUNDLE_PUSH, variables).path("stixBundlePush");
        if (!pushed.asBoolean(false)) {
            throw new OpenCtiException("OpenCTI did not accept the bundle (stixBundlePush returned "
                    + OpenCtiApi.said(pushed.toString()) + ")",
                    false);
        }
    }

    /** Creates a label with its colour, unless the platform has it already (then it is left as it is). */
    public void labelAdd(String stixId, String value, String color) {
        ObjectNode input = OpenCtiApi.JSON.createObjectNode();
        input.put("stix_id", stixId);
        input.put("value", value);
        input.put("color", color);
        ObjectNode variables = OpenCtiApi.JSON.createObjectNode();
        variables.set("input", input);
        api.execute(GraphQlOperations.LABEL_ADD, variables);
    }

    /**
     * The most restrictive TLP of each observable the platform has among these values; observables it lacks, or
     * that carry no TLP, are absent from the answer.
     */
    public Map<String, Tlp> observableTlps(Collection<String> values) {
        Map<String, Tlp> tlps = new HashMap<>();
        if (values.isEmpty()) {
            return tlps;
        }
        ObjectNode filter = OpenCtiApi.JSON.createObjectNode();
        filter.putArray("key").add("value");
        ArrayNode wanted = filter.putArray("values");
        values.forEach(wanted::add);
        filter.put("operator", "eq");
        filter.put("mode", "or");
        ObjectNode filters = OpenCtiApi.JSON.createObjectNode();
        filters.put("mode", "and");
        filters.putArray("filters").add(filter);
        filters.putArray("filterGroups");
        ObjectNode variables = OpenCtiApi.JSON.createObjectNode();
        variables.set("filters", filters);
        variables.put("first", values.size());
        JsonNode edges = api.execute(GraphQlOperations.OBSERVABLE_MARKINGS, variables)
                .path("stixCyberObservables").path("edges");
        for (JsonNode edge : edges) {
            JsonNode node = edge.path("node");
            for (JsonNode marking : node.path("objectMarking")) {
                if (!"TLP".equalsIgnoreCase(marking.path("definition_type").asText())) {
                    continue;
                }
                try {
                    Tlp tlp = Tlp.fromConfig(marking.path("definition").asText());
                    tlps.merge(node.path("observable_value").asText(), tlp, (a, b) -> a.compareTo(b) >= 0 ? a : b);
                } catch (IllegalArgumentException e) {
                    // a custom TLP-typed marking the platform allows: not one of the levels max_tlp compares
                }
            }
        }
        return tlps;
    }

    /** The state the next ping carries (a JSON object string), and the time of the last run. */
    public void recordRun(String stateJson, String lastRunUtc) {
        this.state = stateJson;
        this.lastRun = lastRunUtc;
    }

    public String state() {
        return state;
    }

    private static JsonNode parseState(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = OpenCtiApi.JSON.readTree(text);
            // pycti's get_state(): only a non-empty object counts as a state
            return node.isObject() && !node.isEmpty() ? node : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    public void setConnectorId(String connectorId) {
        this.connectorId = connectorId;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** pycti: CONNECTOR_SCOPE.split(","), or [] when empty; no strip, no lower-casing. */
    public void setScope(String scope) {
        this.scope = scope == null || scope.isEmpty() ? List.of() : List.of(scope.split(","));
    }

    public void setQueueThresholdMb(double queueThresholdMb) {
        this.queueThresholdMb = queueThresholdMb;
    }

    /** When the next feed run starts, for the heartbeat's next_run_datetime (empty: none is scheduled). */
    public void setNextRun(Supplier<Optional<Instant>> nextRun) {
        this.nextRun = nextRun;
    }

    /** Where pycti's ping_api_total and ping_api_errors_total are counted. */
    public void setMetrics(PyctiMetrics metrics) {
        this.metrics = metrics;
    }

    public void setRunAndTerminate(boolean runAndTerminate) {
        this.runAndTerminate = runAndTerminate;
    }

    public void setBrokerOverrides(BrokerOverrides brokerOverrides) {
        this.brokerOverrides = brokerOverrides;
    }
}
