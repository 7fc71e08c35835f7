package io.ctifeeds.config;

import java.time.Duration;

/**
 * {@code {{schedule:<cron-key>}}}: the Quartz endpoint options of a feed's trigger, so a route file names its
 * schedule in one placeholder:
 * <ul>
 * <li>with connector.run-and-terminate=true: fire once, now;</li>
 * <li>else with a cron in {@code <cron-key>}: that cron;</li>
 * <li>else every connector.duration-period, the first run at start-up (pycti's schedule_iso).</li>
 * </ul>
 */
public class SchedulePropertiesFunction extends ContextPropertiesFunction {

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
}
