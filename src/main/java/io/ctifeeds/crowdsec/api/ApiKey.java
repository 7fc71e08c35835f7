package io.ctifeeds.crowdsec.api;

/** The CTI API key as configured. */
public final class ApiKey {

    private ApiKey() {
    }

    /** Quotes around the key (a common copy-paste slip in compose files) are dropped, as the official connector does. */
    public static String unquote(String value) {
        String v = value == null ? "" : value.strip();
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            v = v.substring(1, v.length() - 1).strip();
        }
        return v;
    }
}
