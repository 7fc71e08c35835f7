package io.ctifeeds.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * What the application logged in-process while an action ran: slf4j-simple writes each line to whatever
 * System.err is at that moment. The lines are echoed to the real stderr afterwards, so the build log keeps them.
 */
public record CapturedLog<T>(T result, String text) {

    public static <T> CapturedLog<T> of(Callable<T> action) throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        T result;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            result = action.call();
        } finally {
            System.setErr(err);
        }
        String text = log.toString(StandardCharsets.UTF_8);
        err.print(text);
        return new CapturedLog<>(result, text);
    }

    /** How many lines contain this text. */
    public long lines(String containing) {
        return text.lines().filter(l -> l.contains(containing)).count();
    }
}
