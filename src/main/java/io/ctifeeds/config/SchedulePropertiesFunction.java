package io.ctifeeds.config;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.spi.PropertiesFunction;

/**
 * {@code {{schedule:<cron-key>}}}: the Quartz endpoint options of a feed's trigger, so a route file names its
 * schedule in one placeholder:
 * <ul>
 * <li>with connector.run-and-terminate=true: fire once, now;</li>
 * <li>else with a cron in {@code <cron-key>}: that cron;</li>
 * <li>else every connector.duration-period, the first run at start-up (pycti's schedule_iso).</li>
 * </ul>
 */
public class SchedulePropertiesFunction implements PropertiesFunction, CamelContextAware {

    private CamelContext camelContext;

    @Override
    public String getName() {
        return "schedule";
    }

    @Override
    public String apply(String cronKey) {
        if (Boolean.parseBoolean(property(ConnectorSettings.RUN_AND_TERMINATE, "false"))) {
            return "trigger.repeatCount=0&trigger.repeatInterval=1";
        }
        String cron = property(cronKey.trim(), "");
        if (!cron.isEmpty()) {
            return "cron=" + cron.replace(' ', '+');
        }
        Duration period = Duration.parse(property(ConnectorSettings.DURATION_PERIOD, "PT6H"));
        return "trigger.repeatCount=-1&trigger.repeatInterval=" + period.toMillis();
    }

    private String property(String key, String defaultValue) {
        return camelContext.getPropertiesComponent().resolveProperty(key).map(String::trim)
                .orElse(defaultValue);
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
