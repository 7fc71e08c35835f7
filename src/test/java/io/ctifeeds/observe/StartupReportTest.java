package io.ctifeeds.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import io.ctifeeds.testing.FakeOpenCti;
import io.ctifeeds.testing.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up block, read from the running application's own routes: feeds, schedules, sources, sinks. */
class StartupReportTest {

    private static final String KEY = "ghp_ReportSecret0123456789";

    @TempDir
    Path data;

    @Test
    void eachEnabledFeedWithItsScheduleSourceAndSinkAndNoSecret() throws Exception {
        // credentials in the URL itself must not show either
        try (TestApp app = new TestApp(data, Map.of(
                "connector.ipsum.api-base-url", "https://reader:pa55word@feeds.example.org/ipsum/levels/8.txt?token=abc",
                "connector.ipsum.api-key", KEY)).start()) {
            String report = StartupReport.report(app.context(), app.feedRegistry());

            assertTrue(report.startsWith("cti-feeds started: 1 feed(s) enabled, disabled: blocklist-de, crowdsec-import, spamhaus-drop"), report);
            assertTrue(report.contains("feed ipsum: cron '0 0 0 1 1 ? 2099' (route ipsum)"), report);
            assertTrue(report.contains("source: https://feeds.example.org/ipsum/levels/8.txt\n")
                    || report.contains("source: https://feeds.example.org/ipsum/levels/8.txt" + System.lineSeparator()),
                    report);
            assertTrue(report.contains("sinks:  directory " + data.resolve("bundles")), report);
            assertTrue(report.contains("CONNECTOR_IPSUM_API_KEY set"), report);
            assertTrue(report.contains("OPENCTI_TOKEN empty"), report);
            assertTrue(report.contains("state: files in " + data.resolve("state") + " (one instance"), report);
            assertTrue(report.contains("http: off"), report);
            assertTrue(report.contains("live route reload: off"), report);
            for (String secret : new String[] {KEY, "pa55word", "token=abc", "reader"}) {
                assertFalse(report.contains(secret), secret + " in:\n" + report);
            }
        }
    }

    @Test
    void withOpenCtiTheSinkIsThePlatformAndADisabledFeedIsNamed() throws Exception {
        try (FakeOpenCti platform = FakeOpenCti.start()) {
            String id = UUID.randomUUID().toString();
            try (TestApp app = new TestApp(data, Map.of("opencti.url", platform.url(),
                    "opencti.token", platform.token(), "connector.id", id,
                    "connector.ipsum.enabled", "false")).start()) {
                String report = StartupReport.report(app.context(), app.feedRegistry());
                assertTrue(report.startsWith("cti-feeds started: 0 feed(s) enabled, disabled: blocklist-de, crowdsec-import, ipsum, spamhaus-drop"), report);
                assertTrue(report.contains("OPENCTI_TOKEN set"), report);
                assertFalse(report.contains(platform.token()), report);
            }
            try (TestApp app = new TestApp(data, Map.of("opencti.url", platform.url(),
                    "opencti.token", platform.token(), "connector.id", id,
                    "connector.queue-protocol", "api")).start()) {
                String report = StartupReport.report(app.context(), app.feedRegistry());
                assertTrue(report.contains("sinks:  OpenCTI " + platform.url() + " as connector " + id + " (api)"),
                        report);
            }
        }
    }

    /** A period counts from the end of a run (pycti's schedule), and the report says so. */
    @Test
    void aPeriodIsSaidToCountFromTheEndOfARun() {
        assertEquals("6h after each run ends, the first run at start-up", StartupReport.schedule(
                "quartz:feeds/ipsum?stateful=true&trigger.repeatCount=-1&trigger.repeatInterval=21600000"
                        + "&trigger.description=fixed-delay"));
        assertEquals("every 5m, the first run at start-up", StartupReport.schedule("timer:x?period=300000"));
    }
}
