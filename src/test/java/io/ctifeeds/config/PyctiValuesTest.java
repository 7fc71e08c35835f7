package io.ctifeeds.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Settings as pycti reads them: its boolean spellings, and a duration period of 0 to run once. */
class PyctiValuesTest {

    private static Map<String, String> defaults() throws IOException {
        return ConfigurationCheckTest.defaults();
    }

    @Test
    void pyctiBooleanSpellingsInAnyCase() {
        for (String t : List.of("true", "TRUE", "True", "yes", "YES", "Yes", "1", " yes ")) {
            assertEquals(Optional.of(true), PyctiValues.bool(t), t);
        }
        for (String f : List.of("false", "FALSE", "False", "no", "NO", "No", "0")) {
            assertEquals(Optional.of(false), PyctiValues.bool(f), f);
        }
        for (String odd : List.of("", "on", "2", "y", "auto")) {
            assertEquals(Optional.empty(), PyctiValues.bool(odd), odd);
        }
    }

    @Test
    void theCheckAcceptsPyctiBooleansAndHandsTheRoutesTrueOrFalse() throws IOException {
        Map<String, String> values = defaults();
        values.put("connector.run-and-terminate", "YES");
        values.put("connector.send-to-queue", "0");
        values.put("opencti.ssl-verify", "No");
        values.put("connector.send-to-directory", "Yes");
        values.put("crowdsec.create-note", "1");
        values.put("connector.bundle-size", "10");
        assertEquals(List.of(), ConfigurationCheck.check(k -> Optional.ofNullable(values.get(k))));
        Map<String, String> normalised = ConfigurationCheck.normalised(k -> Optional.ofNullable(values.get(k)));
        assertEquals("true", normalised.get("connector.run-and-terminate"));
        assertEquals("false", normalised.get("connector.send-to-queue"));
        assertEquals("false", normalised.get("opencti.ssl-verify"));
        assertEquals("true", normalised.get("connector.send-to-directory"), "true/false/auto takes yes too");
        assertFalse(normalised.containsKey("connector.bundle-size"), "a number stays a number");
        values.put("connector.send-to-queue", "maybe");
        List<String> problems = ConfigurationCheck.check(k -> Optional.ofNullable(values.get(k)));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).startsWith("Invalid configuration: CONNECTOR_SEND_TO_QUEUE"), problems.get(0));
    }

    @Test
    void durationsPyctiAcceptsWeeksAndDaysIncluded() throws IOException {
        assertEquals(java.time.Duration.ofDays(7), PyctiValues.duration("P1W"));
        assertEquals(java.time.Duration.ofDays(2), PyctiValues.duration("P2D"));
        assertEquals(java.time.Duration.ofDays(1).plusHours(12), PyctiValues.duration("P1DT12H"));
        assertEquals(java.time.Duration.ofDays(14).plusHours(1), PyctiValues.duration("p2wt1h"));
        assertEquals(java.time.Duration.ofDays(30), PyctiValues.duration("P1M"));
        assertEquals(java.time.Duration.ofHours(6), PyctiValues.duration("PT6H"));
        Map<String, String> values = defaults();
        values.put(ConnectorSettings.DURATION_PERIOD, "P1W");
        assertEquals(List.of(), ConfigurationCheck.check(k -> Optional.ofNullable(values.get(k))));
        values.put(ConnectorSettings.DURATION_PERIOD, "weekly");
        assertTrue(ConfigurationCheck.check(k -> Optional.ofNullable(values.get(k))).get(0)
                .contains("CONNECTOR_DURATION_PERIOD"));
    }

    @Test
    void aDurationPeriodOfZeroRunsOnceAsPyctiDoes() throws IOException {
        for (String once : List.of("0", "PT0S", "P0D", " PT0S ")) {
            assertTrue(PyctiValues.runsOnce(once), once);
            assertTrue(ConnectorSettings.runsOnce(k -> k.equals(ConnectorSettings.DURATION_PERIOD) ? once : ""));
        }
        assertFalse(ConnectorSettings.runsOnce(k -> k.equals(ConnectorSettings.DURATION_PERIOD) ? "PT6H" : ""));
        assertTrue(ConnectorSettings.runsOnce(k -> k.equals(ConnectorSettings.RUN_AND_TERMINATE) ? "Yes" : "PT6H"));
        Map<String, String> values = defaults();
        values.put(ConnectorSettings.DURATION_PERIOD, "0");
        assertEquals(List.of(), ConfigurationCheck.check(k -> Optional.ofNullable(values.get(k))));
        values.put(ConnectorSettings.DURATION_PERIOD, "-PT1H");
        assertEquals(1, ConfigurationCheck.check(k -> Optional.ofNullable(values.get(k))).size());
    }
}
