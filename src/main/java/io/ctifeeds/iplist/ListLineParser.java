package io.ctifeeds.iplist;

import io.ctifeeds.ip.InvalidIpAddressException;
import io.ctifeeds.ip.IpValue;
import io.ctifeeds.iplist.ListLine.Entry;
import io.ctifeeds.iplist.ListLine.Ignored;
import io.ctifeeds.iplist.ListLine.Rejected;

/** The rules behind {@link ListLine#parse}. */
final class ListLineParser {

    /** Real lines are under 60 characters (an IPv6 block and a comment); anything this long is not feed data. */
    static final int MAX_LINE_LENGTH = 4096;

    static final int SAMPLE_LENGTH = 80;

    private static final char BOM = '\uFEFF';
    private static final Ignored IGNORED = new Ignored();

    private ListLineParser() {
    }

    static ListLine parse(String line) {
        if (line == null) {
            return new Rejected("null line", "");
        }
        int end = line.length();
        if (end > MAX_LINE_LENGTH) {
            // Checked first so a huge junk line costs nothing beyond the sample.
            return reject("line longer than " + MAX_LINE_LENGTH + " characters", line);
        }
        int start = end > 0 && line.charAt(0) == BOM ? 1 : 0;
        while (start < end && isSurroundingSpace(line.charAt(start))) {
            start++;
        }
        while (end > start && isSurroundingSpace(line.charAt(end - 1))) {
            end--;
        }
        if (start == end || isCommentStart(line.charAt(start))) {
            return IGNORED;
        }
        // a trailing comment ("1.10.16.0/20 ; SBL256894"): neither character occurs in an address
        for (int i = start; i < end; i++) {
            if (isCommentStart(line.charAt(i))) {
                end = i;
                while (isSurroundingSpace(line.charAt(end - 1))) {
                    end--; // stops at start at the latest: line[start] is not a comment character
                }
                break;
            }
        }
        if (line.charAt(start) == '<') {
            // An HTML error page or captive portal served instead of the feed.
            return reject("markup (HTML/XML), not feed data", line);
        }

        int ipEnd = nextSeparator(line, start, end);
        IpValue ip;
        try {
            ip = IpValue.parse(line.substring(start, ipEnd));
        } catch (InvalidIpAddressException e) {
            return reject("invalid IP address: " + e.reason(), line);
        }
        if (ipEnd == end) {
            return new Entry(ip, null);
        }

        int countStart = ipEnd;
        while (isSeparator(line.charAt(countStart))) {
            countStart++; // stops inside the line: end was trimmed, so a non-space follows
        }
        int countEnd = nextSeparator(line, countStart, end);
        if (countEnd != end) {
            return reject("more than two columns", line);
        }
        long count = 0;
        for (int i = countStart; i < countEnd; i++) {
            char c = line.charAt(i);
            if (c < '0' || c > '9') {
                return reject("count is not a decimal integer", line);
            }
            count = count * 10 + (c - '0');
            if (count > Integer.MAX_VALUE) {
                return reject("count too large", line);
            }
        }
        if (count == 0) {
            return reject("count must be >= 1", line);
        }
        return new Entry(ip, (int) count);
    }

    /**
     * The first {@value #SAMPLE_LENGTH} or so characters of {@code line}, with everything
     * outside printable ASCII escaped (\t, \r, \n, \\uXXXX) so that a hostile line cannot forge
     * log lines or hide text behind control or bidi characters; "..." marks a cut.
     */
    static String logSample(String line) {
        StringBuilder sample = new StringBuilder(SAMPLE_LENGTH + 8);
        int i = 0;
        for (; i < line.length() && sample.length() < SAMPLE_LENGTH; i++) {
            char c = line.charAt(i);
            switch (c) {
                case '\t' -> sample.append("\\t");
                case '\r' -> sample.append("\\r");
                case '\n' -> sample.append("\\n");
                case '\\' -> sample.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sample.append(c);
                    } else {
                        sample.append(String.format("\\u%04x", (int) c));
                    }
                }
            }
        }
        if (i < line.length()) {
            sample.append("...");
        }
        return sample.toString();
    }

    private static Rejected reject(String reason, String line) {
        return new Rejected(reason, logSample(line));
    }

    private static int nextSeparator(String line, int from, int end) {
        for (int i = from; i < end; i++) {
            if (isSeparator(line.charAt(i))) {
                return i;
            }
        }
        return end;
    }

    private static boolean isCommentStart(char c) {
        return c == '#' || c == ';';
    }

    /** Column separator: upstream uses one TAB; spaces are accepted for hand-edited files. */
    private static boolean isSeparator(char c) {
        return c == '\t' || c == ' ';
    }

    private static boolean isSurroundingSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\u000B';
    }
}
