package io.ctifeeds.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import io.ctifeeds.opencti.GraphQlOperations;
import org.junit.jupiter.api.Test;

/**
 * The fake platform answers pycti's exact operation texts (PROTOCOL.md §1.3, §1.4, §2, §3.3, §4.2) as OpenCTI 6.9.17
 * does, over real HTTP, and refuses what the real schema refuses.
 */
class FakeOpenCtiTest {

    // region operation texts: the connector's own (GraphQlOperations, pycti 6.9.17's texts of PROTOCOL.md), so
    // this test also proves that what the connector sends validates against the platform's schema
    static final String HEALTH_CHECK = GraphQlOperations.ABOUT;
    static final String REGISTER = GraphQlOperations.register(true);
    static final String PING = GraphQlOperations.PING;
    static final String WORK_ADD = GraphQlOperations.WORK_ADD;
    static final String ADD_EXPECTATIONS = GraphQlOperations.ADD_EXPECTATIONS;
    static final String TO_PROCESSED = GraphQlOperations.TO_PROCESSED;
    static final String BUNDLE_PUSH = GraphQlOperations.STIX_BUNDLE_PUSH;
    static final String GET_CONNECTOR = GraphQlOperations.GET_CONNECTOR;

    static final String WORK_ALIVE = "query WorkAliveQuery($id: ID!) { isWorkAlive(id: $id) }";
    // endregion

    static final String CONNECTOR_ID = "a2b1c3d4-0000-4000-8000-00000000abcd";
    static final Instant NOW = Instant.parse("2026-11-23T15:04:05.678Z");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    FakeOpenCti fake;

    @BeforeAll
    static void loadSchemaOnce() {
        FakeOpenCti.SchemaLoadTime time = FakeOpenCti.schemaLoadTime();
        // reported, not asserted: on a loaded machine any wall-clock bound fails now and then
        System.out.printf("OpenCTI schema: parse %d ms, build %d ms%n", time.parseMillis(), time.buildMillis());
    }

    @BeforeEach
    void start() throws IOException {
        fake = FakeOpenCti.builder().clock(Clock.fixed(NOW, ZoneOffset.UTC)).start();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void theSchemaFileIsSoundForGraphqlJava() {
        assertEquals(List.of(), OpenCtiSchema.unexpectedSchemaProblems());
    }

    @Test
    void healthCheckAnswersTheConfiguredVersion() throws Exception {
        JsonNode answer = post(HEALTH_CHECK, null).json;

        assertEquals("{\"data\":{\"about\":{\"version\":\"6.9.17\"}}}", answer.toString());
        assertEquals("about", fake.calls().get(0).field());
        assertEquals(List.of(), fake.validationFailures());
    }

    @Test
    void registerConnectorAnswersWhatPyctiReads() throws Exception {
        Reply reply = register();

        assertEquals(200, reply.status);
        JsonNode expected = JSON.readTree("""
                {"data": {"registerConnector": {
                  "id": "%s",
                  "connector_state": null,
                  "config": {
                    "connection": {"host": "127.0.0.1", "vhost": "/", "use_ssl": false, "port": 5672,
                                   "user": "guest", "pass": "guest"},
                    "s3": {"endpoint": "127.0.0.1", "port": 9000, "use_ssl": false, "bucket_name": "opencti-bucket",
                           "bucket_region": "us-east-1", "access_key": "ChangeMe", "secret_key": "ChangeMe"},
                    "listen": "listen_%1$s", "listen_routing": "listen_routing_%1$s",
                    "listen_exchange": "amqp.connector.exchange",
                    "push": "push_%1$s", "push_routing": "push_routing_%1$s", "push_exchange": "amqp.worker.exchange"},
                  "connector_user_id": "88ec0c6a-13ce-5e39-b486-354fe4a7084f"}}}
                """.formatted(CONNECTOR_ID));
        assertEquals(expected, reply.json);
        FakeOpenCti.Call call = fake.calls().get(0);
        assertEquals("registerConnector", call.field());
        assertEquals("EXTERNAL_IMPORT", call.variables().at("/input/type").asText());
        assertEquals("Bearer " + fake.token(), call.header("authorization"));
        assertEquals(FakeOpenCti.Outcome.OK, call.outcome());
        assertEquals(List.of(), fake.validationFailures());
    }

    @Test
    void registerKeepsTheStoredStateAcrossRestarts() throws Exception {
        register();
        ping("{\"last_run\": \"2024-01-01 00:00:00\"}");

        JsonNode again = register().json;

        assertEquals("{\"last_run\": \"2024-01-01 00:00:00\"}", again.at("/data/registerConnector/connector_state").asText());
    }

    @Test
    void pingStoresStateAndConnectorInfo() throws Exception {
        register();

        JsonNode answer = ping("{\"last_run\": \"2024-01-01 00:00:00\"}").json;

        JsonNode expected = JSON.readTree("""
                {"data": {"pingConnector": {"id": "%s", "connector_state": "{\\"last_run\\": \\"2024-01-01 00:00:00\\"}",
                  "connector_info": {"run_and_terminate": false, "buffering": false, "queue_threshold": 500,
                    "queue_messages_size": 0, "next_run_datetime": "2024-01-01T01:00:00.000Z",
                    "last_run_datetime": "2024-01-01T00:00:00.000Z"}}}}
                """.formatted(CONNECTOR_ID));
        assertEquals(expected, answer);
        // like JSON.stringify, whole floats have no ".0"
        assertTrue(answer.at("/data/pingConnector/connector_info/queue_threshold").isIntegralNumber());
        assertEquals("{\"last_run\": \"2024-01-01 00:00:00\"}", fake.state());
        assertEquals(Instant.parse("2024-01-01T01:00:00Z"), fake.connectorInfo().get("next_run_datetime"));
        assertEquals(List.of(), fake.validationFailures());
    }

    @Test
    void pingAfterResetReturnsTheEmptyStateAndDropsTheSentOneOnce() throws Exception {
        register();
        ping("{\"last_run\": \"2024-01-01 00:00:00\"}");

        fake.resetState();
        JsonNode first = ping("{\"last_run\": \"2024-01-01 00:00:00\"}").json;

        assertEquals("", first.at("/data/pingConnector/connector_state").asText());
        assertFalse(first.at("/data/pingConnector/connector_state").isNull());
        assertEquals("", fake.state());
        assertFalse(fake.stateResetPending());

        JsonNode second = ping("null").json;

        assertEquals("null", second.at("/data/pingConnector/connector_state").asText());
        assertEquals("null", fake.state());
    }

    @Test
    void pingOfAnUnknownConnectorIsAFunctionalError() throws Exception {
        JsonNode answer = ping("null").json;

        assertTrue(answer.at("/data/pingConnector").isNull());
        assertEquals("No connector found with the specified ID", answer.at("/errors/0/message").asText());
        assertEquals("FUNCTIONAL_ERROR", answer.at("/errors/0/name").asText());
        assertEquals("FUNCTIONAL_ERROR", answer.at("/errors/0/extensions/code").asText());
        assertEquals(FakeOpenCti.Outcome.GRAPHQL_ERROR, fake.calls().get(0).outcome());
    }

    @Test
    void workLifecycle() throws Exception {
        register();

        JsonNode added = post(WORK_ADD, Map.of("connectorId", CONNECTOR_ID, "friendlyName", "IPsum run @ 2026-11-23 15:04:05")).json;
        String workId = added.at("/data/workAdd/id").asText();
        JsonNode expectations = post(ADD_EXPECTATIONS, Map.of("id", workId, "expectations", 3)).json;
        JsonNode alive = post(WORK_ALIVE, Map.of("id", workId)).json;
        Map<String, Object> processedVariables = new java.util.LinkedHashMap<>();
        processedVariables.put("id", workId);
        processedVariables.put("message", "IPsum connector successfully run, storing last_run as 2026-11-23 15:04:05");
        processedVariables.put("inError", false);
        JsonNode processed = post(TO_PROCESSED, processedVariables).json;

        assertEquals("work_" + CONNECTOR_ID + "_2026-11-23T15:04:05.678Z", workId);
        assertEquals("{\"data\":{\"workEdit\":{\"addExpectations\":\"" + workId + "\"}}}", expectations.toString());
        assertEquals("{\"data\":{\"isWorkAlive\":true}}", alive.toString());
        assertEquals("{\"data\":{\"workEdit\":{\"toProcessed\":\"" + workId + "\"}}}", processed.toString());
        FakeOpenCti.Work work = fake.works().get(0);
        assertEquals(new FakeOpenCti.Work(workId, CONNECTOR_ID, "IPsum run @ 2026-11-23 15:04:05", "progress", 3, 0, true,
                "IPsum connector successfully run, storing last_run as 2026-11-23 15:04:05", false,
                List.of("IPsum connector successfully run, storing last_run as 2026-11-23 15:04:05"), List.of()), work);
        assertEquals(List.of("registerConnector", "workAdd", "addExpectations", "isWorkAlive", "toProcessed"),
                fake.calls().stream().map(FakeOpenCti.Call::field).toList());
        assertEquals(List.of(), fake.validationFailures());
    }

    @Test
    void processedInErrorWithNoExpectationCompletesWithTheMessageAsAnError() throws Exception {
        register();
        String workId = post(WORK_ADD, Map.of("connectorId", CONNECTOR_ID)).json.at("/data/workAdd/id").asText();

        post(TO_PROCESSED, Map.of("id", workId, "message", "feed unreachable", "inError", true));

        FakeOpenCti.Work work = fake.works().get(0);
        assertEquals("complete", work.status());
        assertTrue(work.inError());
        assertEquals(List.of("feed unreachable"), work.errors());
        assertEquals(List.of(), work.messages());
    }

    @Test
    void stixBundlePushRecordsTheBundleAndWork() throws Exception {
        register();
        String workId = post(WORK_ADD, Map.of("connectorId", CONNECTOR_ID)).json.at("/data/workAdd/id").asText();
        String bundle = "{\"type\": \"bundle\", \"id\": \"bundle--6f3e1d0c-9a1b-4c2d-8e3f-0a1b2c3d4e5f\", \"objects\": "
                + "[{\"type\": \"ipv4-addr\", \"id\": \"ipv4-addr--1d9a6b7e-2c3f-5a4b-9c8d-7e6f5a4b3c2d\", \"value\": \"1.2.3.4\"}]}";

        JsonNode answer = post(BUNDLE_PUSH, Map.of("connectorId", CONNECTOR_ID, "bundle", bundle, "work_id", workId)).json;

        assertEquals("{\"data\":{\"stixBundlePush\":true}}", answer.toString());
        assertEquals(List.of(new FakeOpenCti.PushedBundle(CONNECTOR_ID, workId, workId, bundle)), fake.bundles());
        assertEquals("1.2.3.4", fake.bundles().get(0).json().at("/objects/0/value").asText());
        assertEquals(List.of(), fake.validationFailures());
    }

    @Test
    void pushedObjectsAreUpsertedLeavingAbsentPropertiesAsTheyWere() throws Exception {
        register();
        String id = "indicator--274128a4-2ad4-50b5-ae7b-b0dea1fa9861";
        String revoked = "{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": [{\"type\": \"indicator\", "
                + "\"id\": \"" + id + "\", \"name\": \"1.2.3.4\", \"revoked\": true}]}";
        String silent = "{\"type\": \"bundle\", \"id\": \"bundle--2\", \"objects\": [{\"type\": \"indicator\", "
                + "\"id\": \"" + id + "\", \"x_opencti_score\": 80}]}";
        post(BUNDLE_PUSH, Map.of("connectorId", CONNECTOR_ID, "bundle", revoked));
        post(BUNDLE_PUSH, Map.of("connectorId", CONNECTOR_ID, "bundle", silent));
        fake.ingest(JSON.readTree(silent.replace("80", "90")));

        JsonNode stored = fake.object(id);
        assertTrue(stored.get("revoked").asBoolean(), "a property not sent is left as it was: " + stored);
        assertEquals("1.2.3.4", stored.get("name").asText());
        assertEquals(90, stored.get("x_opencti_score").asInt(), "a property sent replaces the stored one");
        assertNull(fake.object("indicator--00000000-0000-5000-8000-000000000000"));
    }

    @Test
    void stixBundlePushWithoutWorkOpensOneAndRefusesAnEmptyBundle() throws Exception {
        register();
        String one = "{\"type\": \"bundle\", \"id\": \"bundle--1\", \"objects\": [{\"type\": \"identity\"}]}";

        post(BUNDLE_PUSH, Map.of("connectorId", CONNECTOR_ID, "bundle", one));
        JsonNode empty = post(BUNDLE_PUSH, Map.of("connectorId", CONNECTOR_ID,
                "bundle", "{\"type\": \"bundle\", \"objects\": []}")).json;

        FakeOpenCti.Work opened = fake.works().get(0);
        assertEquals("IPsum run @ 2026-11-23T15:04:05.678Z", opened.name());
        assertEquals(1, opened.expectations());
        assertEquals(opened.id(), fake.bundles().get(0).targetWorkId());
        assertNull(fake.bundles().get(0).workId());
        assertTrue(empty.at("/data/stixBundlePush").isNull());
        assertEquals("Invalid bundle", empty.at("/errors/0/message").asText());
        assertEquals(1, fake.bundles().size());
    }

    @Test
    void getConnectorReportsTheConfiguredQueueSize() throws Exception {
        register();
        fake.setQueueMessagesSize(600_000_000L);

        JsonNode connector = post(GET_CONNECTOR, Map.of("id", CONNECTOR_ID)).json.at("/data/connector");

        assertEquals(600_000_000L, connector.at("/connector_queue_details/messages_size").asLong());
        assertTrue(connector.at("/connector_queue_details/messages_size").isIntegralNumber());
        assertEquals("IPsum", connector.get("name").asText());
        assertTrue(connector.get("active").asBoolean());
        assertEquals("[\"not-applicable\"]", connector.get("connector_scope").toString());
        assertEquals("EXTERNAL_IMPORT", connector.get("connector_type").asText());
        assertEquals("2026-11-23T15:04:05.678Z", connector.get("updated_at").asText());
        assertEquals("push_routing_" + CONNECTOR_ID, connector.at("/config/push_routing").asText());
        assertEquals(13, connector.size(), "exactly the selected fields: " + connector);
        assertEquals(List.of(), fake.validationFailures());
    }

    @Test
    void validOperationsTheFakeDoesNotImplementAnswerNull() throws Exception {
        String logs = "query Logs($filters: FilterGroup) { logs(filters: $filters) { edges { node { id } } } }";
        Map<String, Object> filters = Map.of("filters", Map.of("mode", "and", "filters", List.of(), "filterGroups", List.of()));

        JsonNode answer = post(logs, filters).json;
        JsonNode delete = post("mutation { workDelete(connectorId: \"x\") }", null).json;

        assertEquals("{\"data\":{\"logs\":null}}", answer.toString());
        assertEquals("{\"data\":{\"workDelete\":null}}", delete.toString());
        assertEquals(List.of(), fake.validationFailures());
    }

    @Test
    void theBuilderSettingsReachTheAnswers() throws Exception {
        try (FakeOpenCti other = FakeOpenCti.builder().token("t0k3n").version("6.8.10").connectorUserId("u-1")
                .queuePrefix("lab").rabbitMq(new FakeOpenCti.RabbitMq("mq.lab", "/cti", true, 5671, "conn", "s3cret"))
                .start()) {
            JsonNode version = post(other, HEALTH_CHECK, null, "t0k3n").json;
            JsonNode registered = post(other, REGISTER, registerVariables(), "t0k3n").json.at("/data/registerConnector");

            assertEquals("6.8.10", version.at("/data/about/version").asText());
            assertEquals("u-1", registered.get("connector_user_id").asText());
            assertEquals("{\"host\":\"mq.lab\",\"vhost\":\"/cti\",\"use_ssl\":true,\"port\":5671,\"user\":\"conn\","
                    + "\"pass\":\"s3cret\"}", registered.at("/config/connection").toString());
            assertEquals("lab_push_routing_" + CONNECTOR_ID, registered.at("/config/push_routing").asText());
            assertEquals("lab_amqp.worker.exchange", registered.at("/config/push_exchange").asText());
        }
    }

    @Test
    void unknownConnectorIsNull() throws Exception {
        assertEquals("{\"data\":{\"connector\":null}}", post(GET_CONNECTOR, Map.of("id", "nope")).json.toString());
    }

    @Test
    void aFieldTheSchemaLacksIsRefusedAndRecorded() throws Exception {
        fake.expectRefusals();
        register();
        String query = "mutation PingConnector($id: ID!) { pingConnector(id: $id) { id connector_state no_such_field } }";

        Reply reply = post(query, Map.of("id", CONNECTOR_ID));

        assertEquals(200, reply.status);
        assertFalse(reply.json.has("data"));
        assertEquals("GRAPHQL_VALIDATION_FAILED", reply.json.at("/errors/0/extensions/code").asText());
        assertTrue(reply.json.at("/errors/0/message").asText().contains("no_such_field"), reply.json.toString());
        assertEquals(1, fake.validationFailures().size());
        assertEquals("PingConnector", fake.validationFailures().get(0).operationName());
        assertEquals(FakeOpenCti.Outcome.INVALID, fake.calls("pingConnector").get(0).outcome());
        assertNull(fake.state(), "an invalid operation must not run");
    }

    @Test
    void aRefusedOperationFailsTheTestOnCloseUnlessDeclared() throws Exception {
        String invalid = "query { about { no_such_field } }";
        try (FakeOpenCti strict = FakeOpenCti.start(); FakeOpenCti declared = FakeOpenCti.start().expectRefusals();
             FakeOpenCti clean = FakeOpenCti.start()) {
            post(strict, invalid, null, strict.token());
            post(declared, invalid, null, declared.token());
            post(clean, HEALTH_CHECK, null, clean.token());

            AssertionError failure = assertThrows(AssertionError.class, strict::close);
            assertTrue(failure.getMessage().contains("no_such_field"), failure.getMessage());
            strict.close(); // a second close neither throws nor stops anything twice
            declared.close();
            clean.close();
        }
    }

    @Test
    void variablesTheSchemaRefusesAreRecordedToo() throws Exception {
        fake.expectRefusals();
        register();
        Map<String, Object> badDate = Map.of("id", CONNECTOR_ID, "state", "null", "connectorInfo", Map.of(
                "run_and_terminate", false, "buffering", false, "queue_threshold", 500.0, "queue_messages_size", 0.0,
                "last_run_datetime", "2024-01-01 00:00:00"));
        ObjectNode shortName = registerVariables();
        ((ObjectNode) shortName.get("input")).put("name", "X");
        ObjectNode unknownInputField = registerVariables();
        ((ObjectNode) unknownInputField.get("input")).put("no_such_input", true);

        JsonNode date = post(PING, badDate).json;
        JsonNode name = post(REGISTER, shortName).json;
        post(REGISTER, unknownInputField);

        assertEquals("BAD_USER_INPUT", date.at("/errors/0/name").asText());
        assertTrue(date.at("/errors/0/message").asText().contains("DateTime cannot represent an invalid date-time-string"),
                date.toString());
        assertEquals("Variable \"$input\" got invalid value \"X\" at \"input.name\". Must be at least 2 characters in length",
                name.at("/errors/0/message").asText());
        assertEquals(3, fake.validationFailures().size());
        assertEquals("IPsum", post(GET_CONNECTOR, Map.of("id", CONNECTOR_ID)).json.at("/data/connector/name").asText());
        assertNull(fake.state());
    }

    @Test
    void aWrongOrMissingTokenIsNotLoggedIn() throws Exception {
        Reply wrong = post(REGISTER, registerVariables(), "not-the-token");
        Reply missing = post(WORK_ADD, Map.of("connectorId", CONNECTOR_ID), null);

        assertEquals(200, wrong.status);
        JsonNode expected = JSON.readTree("""
                {"errors": [{"message": "You must be logged in to do this.", "locations": [{"line": 2, "column": 5}],
                  "path": ["registerConnector"],
                  "extensions": {"code": "AUTH_REQUIRED", "data": {"http_status": 401, "genre": "TECHNICAL"}},
                  "name": "AUTH_REQUIRED"}],
                 "data": {"registerConnector": null}}
                """);
        assertEquals(expected, wrong.json);
        // workAdd is Work!: the null reaches data itself
        assertTrue(missing.json.get("data").isNull());
        assertEquals("AUTH_REQUIRED", missing.json.at("/errors/0/name").asText());
        assertEquals(List.of(FakeOpenCti.Outcome.AUTH_REQUIRED, FakeOpenCti.Outcome.AUTH_REQUIRED),
                fake.calls().stream().map(FakeOpenCti.Call::outcome).toList());
        assertEquals(List.of(), fake.works());
        assertEquals(List.of(), fake.validationFailures());
    }

    @Test
    void failNextAnswersTheScriptedStatusThenRecovers() throws Exception {
        fake.failNext(2, 502, "<html><body><h1>502 Bad Gateway</h1></body></html>");

        Reply first = post(HEALTH_CHECK, null);
        Reply second = post(HEALTH_CHECK, null);
        Reply third = post(HEALTH_CHECK, null);

        assertEquals(502, first.status);
        assertEquals("<html><body><h1>502 Bad Gateway</h1></body></html>", first.body);
        assertTrue(first.contentType.startsWith("text/html"));
        assertEquals(502, second.status);
        assertEquals(200, third.status);
        assertEquals("6.9.17", third.json.at("/data/about/version").asText());
        assertEquals(List.of(FakeOpenCti.Outcome.HTTP_FAILURE, FakeOpenCti.Outcome.HTTP_FAILURE, FakeOpenCti.Outcome.OK),
                fake.calls().stream().map(FakeOpenCti.Call::outcome).toList());
        assertEquals("about", fake.calls().get(0).field());
    }

    @Test
    void errorNextFailsTheNextOperationWithoutEffect() throws Exception {
        register();
        fake.errorNext("Lock timeout");

        Reply failed = post(WORK_ADD, Map.of("connectorId", CONNECTOR_ID));
        Reply next = post(WORK_ADD, Map.of("connectorId", CONNECTOR_ID));

        assertEquals(200, failed.status);
        assertEquals("Lock timeout", failed.json.at("/errors/0/message").asText());
        assertEquals("UNKNOWN_ERROR", failed.json.at("/errors/0/name").asText());
        assertEquals("[\"workAdd\"]", failed.json.at("/errors/0/path").toString());
        assertTrue(next.json.at("/data/workAdd/id").asText().startsWith("work_"));
        assertEquals(1, fake.works().size());
        assertEquals(FakeOpenCti.Outcome.GRAPHQL_ERROR, fake.calls("workAdd").get(0).outcome());
    }

    @Test
    void httpLevelMistakesAreRefusedAsApolloDoes() throws Exception {
        fake.expectRefusals();
        HttpResponse<String> noJson = HTTP.send(HttpRequest.newBuilder(URI.create(fake.url() + "/graphql"))
                .header("Authorization", "Bearer " + fake.token())
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ about { version } }\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrongPath = HTTP.send(HttpRequest.newBuilder(URI.create(fake.url() + "/api/graphql"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\": \"{ about { version } }\"}")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(400, noJson.statusCode());
        assertTrue(noJson.body().contains("BAD_REQUEST"), noJson.body());
        assertEquals(404, wrongPath.statusCode());
        assertEquals(2, fake.validationFailures().size());
    }

    // region helpers

    private Reply register() throws Exception {
        return post(REGISTER, registerVariables());
    }

    /** pycti's variables for a default EXTERNAL_IMPORT connector, in its key order. */
    private static ObjectNode registerVariables() throws IOException {
        return (ObjectNode) JSON.readTree("""
                {"input": {"id": "%s", "name": "IPsum", "type": "EXTERNAL_IMPORT",
                           "scope": ["not-applicable"], "auto": false, "auto_update": false,
                           "enrichment_resolution": "none", "only_contextual": false,
                           "playbook_compatible": false, "listen_callback_uri": null}}
                """.formatted(CONNECTOR_ID));
    }

    private Reply ping(String state) throws Exception {
        ObjectNode variables = (ObjectNode) JSON.readTree("""
                {"id": "%s", "state": null,
                 "connectorInfo": {"run_and_terminate": false, "buffering": false, "queue_threshold": 500.0,
                                   "queue_messages_size": 0.0, "next_run_datetime": "2024-01-01T01:00:00Z",
                                   "last_run_datetime": "2024-01-01T00:00:00Z"}}
                """.formatted(CONNECTOR_ID));
        variables.put("state", state);
        return post(PING, variables);
    }

    private Reply post(String query, Object variables) throws Exception {
        return post(query, variables, fake.token());
    }

    private Reply post(String query, Object variables, String token) throws Exception {
        return post(fake, query, variables, token);
    }

    private static Reply post(FakeOpenCti target, String query, Object variables, String token) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("query", query);
        body.set("variables", JSON.valueToTree(variables));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.url() + "/graphql"))
                .header("Content-Type", "application/json")
                .header("User-Agent", "pycti/6.9.17")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        String type = response.headers().firstValue("Content-Type").orElse("");
        JsonNode json = type.startsWith("application/json") ? JSON.readTree(response.body()) : null;
        return new Reply(response.statusCode(), type, response.body(), json);
    }

    private record Reply(int status, String contentType, String body, JsonNode json) {
    }

    // endregion
}
