package io.ctifeeds.config;

import java.util.Locale;

/**
 * {@code {{enabled:<switch-key>,<needed-key>}}}: whether a feed runs, for a switch that may be {@code auto}:
 * true or false as set, and auto (the default) meaning "when {@code <needed-key>} is set", e.g. the CrowdSec
 * import runs as soon as a CrowdSec key is configured, and CROWDSEC_IMPORT_ENABLED=false turns it off.
 */
public class SwitchPropertiesFunction extends ContextPropertiesFunction {

    @Override
    public String getName() {
        return "enabled";
    }

    @Override
    public String apply(String keys) {
        String[] names = keys.split(",");
        if (names.length != 2) {
            throw new IllegalArgumentException("{{enabled:" + keys + "}}: expected <switch-key>,<needed-key>");
        }
        return Boolean.toString(enabled(property(names[0].trim(), "auto"), property(names[1].trim(), "")));
    }

    /** The rule itself, also what the configuration check applies before Camel starts. */
    public static boolean enabled(String value, String needed) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("auto") || v.isEmpty() ? !needed.isBlank() : PyctiValues.bool(v, false);
    }
}
