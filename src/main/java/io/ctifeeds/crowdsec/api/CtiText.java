package io.ctifeeds.crowdsec.api;

/** Text from the CTI API is untrusted: where it goes into a log line or a note, it must stay on one line. */
public final class CtiText {

    private CtiText() {
    }

    /**
     * A line break inside a value would let it start its own Markdown block (a heading, a fake field) in a note,
     * or forge a log line, so every control character becomes a space.
     */
    public static String oneLine(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return out.toString();
    }
}
