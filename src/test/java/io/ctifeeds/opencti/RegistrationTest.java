package io.ctifeeds.opencti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;

import io.ctifeeds.testing.FakeOpenCti;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Registration asks only for what the platform's version has, and bad answers become one clear line. */
class RegistrationTest {

    private static OpenCtiConnector connector(DefaultCamelContext camel, FakeOpenCti platform, String token) {
        OpenCtiApi api = new OpenCtiApi();
        api.setCamelContext(camel);
        api.setUrl(platform.url());
        api.setToken(token);
        OpenCtiConnector connector = new OpenCtiConnector(api);
        connector.setConnectorId(UUID.randomUUID().toString());
        connector.setName("cti-feeds");
        connector.setScope("ipsum,ipv4-addr");
        return connector;
    }

    @Test
    void anOlderPlatformGetsTheFieldsItKnows() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext();
             FakeOpenCti platform = FakeOpenCti.builder().version("6.5.0").start()) {
            camel.start();
            Registration registration = connector(camel, platform, platform.token()).registration();

            assertEquals("push_routing_" + registration.connectorId(), registration.pushRouting());
            assertEquals(FakeOpenCti.DEFAULT_CONNECTOR_USER_ID, registration.applicantId());
            FakeOpenCti.Call call = platform.calls("registerConnector").get(0);
            assertFalse(call.query().contains("s3"), "s3 exists from 6.9.10 only");
            assertFalse(call.variables().get("input").has("auto_update"), "auto_update exists from 6.8.9 only");
            assertEquals(List.of("ipsum", "ipv4-addr"),
                    List.of(call.variables().get("input").get("scope").get(0).asText(),
                            call.variables().get("input").get("scope").get(1).asText()));
            assertEquals(List.of(), platform.validationFailures());
        }
    }

    @ParameterizedTest(name = "OpenCTI {0}")
    @FieldSource("io.ctifeeds.testing.FakeOpenCti#VERSIONS")
    void theCurrentPlatformGetsPyctisFullRegistration(String version) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext();
             FakeOpenCti platform = FakeOpenCti.start(version)) {
            camel.start();
            OpenCtiConnector connector = connector(camel, platform, platform.token());
            Registration registration = connector.registration();
            FakeOpenCti.Call call = platform.calls("registerConnector").get(0);
            assertTrue(call.query().contains("s3"));
            assertEquals("none", call.variables().get("input").get("enrichment_resolution").asText());
            assertEquals(PlatformVersion.parse(version), registration.platform());
            connector.ping();
            connector.workToProcessed(connector.workAdd("a run"), "done", false);
            assertEquals(List.of(), platform.validationFailures());
        }
    }

    /** A 7.x LTS build before 7.260422.0 has no multipart works: its workAdd refuses the argument. */
    @Test
    void anLtsBuildWithoutMultipartWorksGetsPlainWorks() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext();
             FakeOpenCti platform = FakeOpenCti.start("7.260309.0-lts.2")) {
            camel.start();
            connector(camel, platform, platform.token()).workAdd("a run");
            assertFalse(platform.calls("workAdd").get(0).query().contains("isMultiPartWork"));
            assertEquals(List.of(), platform.validationFailures());
        }
    }

    @ParameterizedTest(name = "OpenCTI {0}")
    @FieldSource("io.ctifeeds.testing.FakeOpenCti#VERSIONS")
    void aWrongTokenIsFatalAndNamesTheFix(String version) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext();
             FakeOpenCti platform = FakeOpenCti.start(version)) {
            camel.start();
            OpenCtiException e = assertThrows(OpenCtiException.class,
                    () -> connector(camel, platform, "wrong-token-value").registration());
            assertTrue(e.isFatal());
            assertTrue(e.getMessage().contains("check OPENCTI_TOKEN"), e.getMessage());
            // OpenCTI 7 looks a token up only for a user with this capability
            assertTrue(e.getMessage().contains("APIACCESS_USETOKEN"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
            assertFalse(e.getMessage().contains("wrong-token-value"), e.getMessage());
        }
    }

    @Test
    void htmlAndServerErrorsAreRetryableOneLiners() throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext(); FakeOpenCti platform = FakeOpenCti.start()) {
            camel.start();
            OpenCtiConnector connector = connector(camel, platform, platform.token());
            platform.failNext(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
            OpenCtiException html = assertThrows(OpenCtiException.class, connector::registration);
            assertFalse(html.isFatal());
            assertTrue(html.getMessage().contains("HTML"), html.getMessage());
            assertEquals(1, html.getMessage().lines().count());

            platform.errorNext("Something broke in the platform");
            OpenCtiException graphql = assertThrows(OpenCtiException.class, connector::registration);
            assertFalse(graphql.isFatal());
            assertTrue(graphql.getMessage().contains("Something broke"), graphql.getMessage());

            assertEquals("push_routing_", connector.registration().pushRouting().substring(0, 13),
                    "the next attempt registers");
        }
    }
}
