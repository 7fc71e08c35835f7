package io.ctifeeds.config;

import java.time.Duration;

import io.ctifeeds.feed.FeedSchedule;

/**
 * {@code {{schedule:<cron-key>[,<period-key>]}}}: the Quartz endpoint options of a feed's trigger, so a route
 * file names its schedule in one placeholder:
 * <ul>
 * <li>with connector.run-and-terminate=true, or connector.duration-period 0 (pycti): fire once, now;</li>
 * <li>else with a cron in {@code <cron-key>}: that cron;</li>
 * <li>else every {@code <period-key>} (when given and set), else every connector.duration-period, the first run
 * at start-up, each next one a period after the previous one ended (pycti's schedule_iso; the trigger is marked
 * for {@link FeedSchedule}, which re-arms it when its run ends).</li>
 * </ul>
 * {@code {{schedule:cron=<expression>}}} takes the cron itself rather than a key (a route template's parameter);
 * a blank one means every connector.duration-period.
 */
public class SchedulePropertiesFunction extends ContextPropertiesFunction {

    @Override
    public String getName() {
        return "schedule";
    }

    @Override
    public String apply(String keys) {
        if (ConnectorSettings.runsOnce(key -> property(key, ""))) {
            return "trigger.repeatCount=0&trigger.repeatInterval=1";
        }
        String[] names = keys.split(",");
        String cron = keys.startsWith("cron=") ? keys.substring("cron=".length()).trim()
                : property(names[0].trim(), "");
        // with replicas, a job a dying replica was running is run again by another
        String recovery = "postgresql".equalsIgnoreCase(property("connector.state-store", "file"))
                ? "&recoverableJob=true" : "";
        if (!cron.isEmpty()) {
            return "cron=" + cron.replace(' ', '+') + recovery;
        }
        return "trigger.repeatCount=-1&trigger.repeatInterval=" + period(names).toMillis()
                + "&trigger.description=" + FeedSchedule.FIXED_DELAY + recovery;
    }

    private Duration period(String[] names) {
        String own = names.length > 1 && !names[0].startsWith("cron=") ? property(names[1].trim(), "") : "";
        return PyctiValues.duration(own.isEmpty() ? property(ConnectorSettings.DURATION_PERIOD, "PT6H") : own);
    }
}
