package io.ctifeeds.opencti;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import io.ctifeeds.testing.FakeOpenCti;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * What the platform says goes into our log lines: a hostile or broken platform that answers with line breaks,
 * terminal escapes, direction overrides or megabytes of text still gives one line of bounded length.
 */
class OpenCtiHostileAnswerTest {

    /** Line breaks of every kind, an ANSI clear-screen and colour, an OSC title with BEL, a right-to-left override. */
    private static final String HOSTILE = "first\nFAKE 2026-01-01 [INFO] forged line\r\n\u001b[2J\u001b[31mred"
            + "\u001b]0;title\u0007\u2028\u0085\u202eevil\t" + "A".repeat(2_000_000);

    private static void assertOneBoundedLine(String message) {
        assertTrue(message.length() <= OpenCtiException.MAX_MESSAGE, "length " + message.length());
        for (char c : message.toCharArray()) {
            assertTrue(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0) && c != 0x2028 && c != 0x202e,
                    "character U+" + Integer.toHexString(c) + " in: " + message);
        }
        assertTrue(message.contains("first FAKE 2026-01-01 [INFO] forged line"), message);
        assertTrue(message.contains("more characters"), "says it was cut: " + message);
    }

    private static String failure(FakeOpenCti platform, Runnable script) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.start();
            OpenCtiApi api = new OpenCtiApi();
            api.setCamelContext(camel);
            api.setUrl(platform.url());
            api.setToken(platform.token());
            script.run();
            return assertThrows(OpenCtiException.class, api::version).getMessage();
        }
    }

    @Test
    void aGraphQlErrorMessageIsOneBoundedLine() throws Exception {
        try (FakeOpenCti platform = FakeOpenCti.start()) {
            String message = failure(platform, () -> platform.errorNext(HOSTILE));
            assertTrue(message.startsWith("OpenCTI GraphQL error: first"), message);
            assertOneBoundedLine(message);
        }
    }

    @Test
    void anHttpErrorBodyIsOneBoundedLine() throws Exception {
        try (FakeOpenCti platform = FakeOpenCti.start()) {
            for (int status : List.of(500, 200)) {
                String message = failure(platform, () -> platform.failNext(status, HOSTILE));
                assertTrue(message.startsWith("OpenCTI at " + platform.url() + " answered"), message);
                assertOneBoundedLine(message);
            }
        }
    }

    @Test
    void aRefusalMessageIsOneBoundedLine() throws Exception {
        String message = assertThrows(OpenCtiException.class, () -> new OpenCtiApi().interpret(200,
                "{\"errors\":[{\"message\":" + OpenCtiApi.JSON.writeValueAsString(HOSTILE)
                        + ",\"extensions\":{\"code\":\"AUTH_REQUIRED\"}}]}")).getMessage();
        assertOneBoundedLine(message);
        assertTrue(message.contains("check OPENCTI_TOKEN and that its user has the connector capability"), message);
        assertEquals(1, message.lines().count());
    }
}
