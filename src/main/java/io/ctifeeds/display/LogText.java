package io.ctifeeds.display;

/**
 * Text that others wrote (a platform's error, a broker's reply) made fit for one log line: line breaks, control
 * characters (terminal escapes among them), invisible formatting (direction overrides) and lone surrogates
 * become a single space, and the length is bounded. A forged second line, a cleared screen or megabytes of
 * text are then one line of a known size.
 */
public final class LogText {

    private LogText() {
    }

    /** @param max the most characters of the text kept; the rest is counted, not shown */
    public static String oneLine(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 32);
        boolean gap = false;
        int i = 0;
        while (i < text.length() && out.length() < max) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (unprintable(c)) {
                gap = true;
                continue;
            }
            if (gap && !out.isEmpty()) {
                out.append(' ');
            }
            gap = false;
            out.appendCodePoint(c);
        }
        if (i < text.length()) {
            out.append("... (").append(text.length() - i).append(" more characters)");
        }
        return out.toString();
    }

    private static boolean unprintable(int c) {
        int type = Character.getType(c);
        return Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)
                || type == Character.FORMAT || type == Character.SURROGATE || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE;
    }
}
