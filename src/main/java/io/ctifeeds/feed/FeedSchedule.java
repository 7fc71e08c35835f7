package io.ctifeeds.feed;

import static org.quartz.SimpleScheduleBuilder.simpleSchedule;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.CamelContext;
import org.apache.camel.DelegateEndpoint;
import org.apache.camel.Endpoint;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.component.quartz.SchedulerInitTask;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobListener;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feeds' Quartz triggers as pycti schedules: a trigger made by {@code {{schedule:...}}} for a period (marked
 * {@value #FIXED_DELAY}) is re-armed when its run ends, so the next run starts one period after the previous
 * one ENDED (pycti's {@code scheduler.enter(period)} after each tick), not at a fixed rate; a cron keeps its fire
 * times. The re-armed trigger is the same simple trigger with a later start, so that it lives in Quartz's job
 * store like any other: with replicas on the clustered JDBC store, whichever replica ran the job re-arms it for all,
 * and a restart finds it unchanged (Camel reschedules a stored trigger only when its interval or count differ).
 * <p>
 * Also says when the next run of any feed comes, for the heartbeat's {@code next_run_datetime}.
 */
public class FeedSchedule implements SchedulerInitTask, JobListener, ExtendedStartupListener {

    /** The trigger description {@code {{schedule:...}}} sets on a period trigger: re-armed when its run ends. */
    public static final String FIXED_DELAY = "fixed-delay";
    private static final Logger LOG = LoggerFactory.getLogger(FeedSchedule.class);

    private final CamelContext context;
    private final Clock clock;
    private volatile Scheduler scheduler;

    public FeedSchedule(CamelContext context, Clock clock) {
        this.context = context;
        this.clock = clock;
    }

    @Override
    public void initializeTask(Scheduler scheduler) throws SchedulerException {
        this.scheduler = scheduler;
        scheduler.getListenerManager().addJobListener(this);
    }

    @Override
    public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
        // the routes' statuses are final only once the context has fully started
    }

    /** Once every route that starts has started: a feed turned off has its trigger paused. */
    @Override
    public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
        pauseFeedsNotStarted();
    }

    @Override
    public String getName() {
        return "ctifeeds-fixed-delay";
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext execution) {
        // nothing before a run: the delay counts from its end
    }

    @Override
    public void jobExecutionVetoed(JobExecutionContext execution) {
        // no veto is ever cast: a skipped run is a run that ended at once (FeedRuns)
    }

    /**
     * Called on the thread that ran the job, once the route has processed the fire (the run is over, or was skipped),
     * before Quartz releases the job for its next fire: the replaced trigger is then the one that fires next.
     */
    @Override
    public void jobWasExecuted(JobExecutionContext execution, JobExecutionException failure) {
        Trigger fired = execution.getTrigger();
        Optional<Route> route = feedRoute(fired.getKey());
        Optional<QuartzEndpoint> endpoint = route.flatMap(r -> quartz(r.getEndpoint()));
        if (route.isPresent() && !started(route.get())) {
            // a feed turned off whose trigger fired before start-up paused it: paused now, not re-armed (a
            // rescheduled trigger would be running again)
            endpoint.ifPresent(FeedSchedule::pause);
            return;
        }
        if (!(fired instanceof SimpleTrigger simple) || endpoint.filter(FeedSchedule::fixedDelay).isEmpty()
                || simple.getRepeatCount() == 0) {
            return;
        }
        long period = simple.getRepeatInterval();
        Date next = Date.from(clock.instant().plusMillis(period));
        Trigger rearmed = TriggerBuilder.newTrigger().withIdentity(fired.getKey()).forJob(fired.getJobKey())
                .withDescription(FIXED_DELAY).usingJobData(fired.getJobDataMap())
                .modifiedByCalendar(fired.getCalendarName()).startAt(next)
                .withSchedule(simpleSchedule().withMisfireHandlingInstructionFireNow()
                        .withRepeatCount(simple.getRepeatCount()).withIntervalInMilliseconds(period))
                .build();
        try {
            execution.getScheduler().rescheduleJob(fired.getKey(), rearmed);
            LOG.debug("{}: next run at {}", fired.getKey(), next.toInstant());
        } catch (SchedulerException e) {
            // the trigger keeps its fixed rate: a run comes anyway, only sooner than a period after this one
            LOG.warn("{}: could not schedule the next run a period after this one ({}); it comes at the trigger's "
                    + "fixed rate", fired.getKey(), e.getMessage());
        }
    }

    /**
     * Pauses the trigger of every feed whose route did not start (a feed turned off). Camel schedules a Quartz
     * endpoint's job whether or not its route starts, so the trigger of a feed turned off fired every period for
     * nothing (a job that finds no consumer). Paused through the endpoint, so that Camel resumes it when the route
     * starts (the feed turned on runs), as it does for a route stopped and started again. With replicas (the
     * clustered job store) Camel never pauses a shared trigger, and neither does this.
     */
    public void pauseFeedsNotStarted() {
        for (Route route : context.getRoutes()) {
            if (!started(route)) {
                quartz(route.getEndpoint()).ifPresent(FeedSchedule::pause);
            }
        }
    }

    private boolean started(Route route) {
        ServiceStatus status = context.getRouteController().getRouteStatus(route.getRouteId());
        return status != null && status.isStarted();
    }

    private static void pause(QuartzEndpoint endpoint) {
        try {
            endpoint.pauseTrigger();
        } catch (Exception e) {
            LOG.warn("{}: could not pause the trigger of a feed that is off ({}); it fires for nothing",
                    endpoint.getTriggerKey(), e.getMessage());
        }
    }

    /**
     * The earliest next start among the started feed triggers: a fire time, or for a period trigger whose run is
     * under way (on any replica: its trigger is then blocked) now plus the period, the earliest that run's end can
     * re-arm it to. Empty when no trigger will fire again (run and terminate, every feed disabled).
     */
    public Optional<Instant> nextRun() {
        Scheduler s = scheduler;
        if (s == null) {
            return Optional.empty();
        }
        Instant earliest = null;
        for (Route route : context.getRoutes()) {
            Optional<QuartzEndpoint> endpoint = quartz(route.getEndpoint());
            if (endpoint.isEmpty() || !started(route)) {
                continue;
            }
            try {
                Instant next = next(s, endpoint.get());
                if (next != null && (earliest == null || next.isBefore(earliest))) {
                    earliest = next;
                }
            } catch (SchedulerException e) {
                LOG.debug("cannot read trigger {}: {}", endpoint.get().getTriggerKey(), e.getMessage());
            }
        }
        return Optional.ofNullable(earliest);
    }

    private Instant next(Scheduler s, QuartzEndpoint endpoint) throws SchedulerException {
        Trigger trigger = s.getTrigger(endpoint.getTriggerKey());
        if (trigger == null) {
            return null;
        }
        if (fixedDelay(endpoint) && trigger instanceof SimpleTrigger simple && simple.getRepeatCount() != 0
                && s.getTriggerState(trigger.getKey()) == Trigger.TriggerState.BLOCKED) {
            return clock.instant().plusMillis(simple.getRepeatInterval());
        }
        Date next = trigger.getNextFireTime();
        return next == null ? null : next.toInstant();
    }

    private Optional<Route> feedRoute(TriggerKey key) {
        for (Route route : context.getRoutes()) {
            Optional<QuartzEndpoint> endpoint = quartz(route.getEndpoint());
            if (endpoint.isPresent() && key.equals(endpoint.get().getTriggerKey())) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }

    private static Optional<QuartzEndpoint> quartz(Endpoint endpoint) {
        Endpoint e = endpoint instanceof DelegateEndpoint delegate ? delegate.getEndpoint() : endpoint;
        return e instanceof QuartzEndpoint q ? Optional.of(q) : Optional.empty();
    }

    /** Marked by the endpoint (its URI), not by the stored trigger: a trigger stored before the mark counts too. */
    private static boolean fixedDelay(QuartzEndpoint endpoint) {
        Map<String, Object> parameters = endpoint.getTriggerParameters();
        return parameters != null && FIXED_DELAY.equals(String.valueOf(parameters.get("description")));
    }
}
