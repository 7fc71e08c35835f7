package io.ctifeeds.stix;

import java.util.Locale;
import java.util.Map;

/**
 * Traffic Light Protocol levels as OpenCTI knows them, in ascending order of restriction (the
 * declaration order is relied on by {@link #allows}).
 */
public enum Tlp {
    WHITE("white", "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "TLP:CLEAR"),
    GREEN("green", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", "TLP:GREEN"),
    AMBER("amber", "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", "TLP:AMBER"),
    AMBER_STRICT("amber+strict", "marking-definition--826578e1-40ad-459f-bc73-ede076f81f37", "TLP:AMBER+STRICT"),
    RED("red", "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", "TLP:RED");

    /** Values {@link #fromConfig} accepts, for error messages; each also with a "TLP:" prefix. */
    public static final String ACCEPTED_VALUES = "white, clear, green, amber, amber+strict, red";

    /*
     * python-stix2's TLP constants carry this date; a fixed date for AMBER+STRICT too (the
     * connectors stamp it with the build time) keeps our bundles byte-for-byte reproducible. The
     * platform maps every TLP marking to its static id, so the date has no effect there.
     */
    private static final String TLP_CREATED = "2017-01-20T00:00:00.000Z";

    private final String configName;
    private final String id;
    private final String openctiName;
    private final MarkingDefinition marking;

    Tlp(String configName, String id, String openctiName) {
        this.configName = configName;
        this.id = id;
        this.openctiName = openctiName;
        this.marking = configName.equals("amber+strict")
                // OpenCTI-only level without a stix2 constant: sent as a statement marking, which
                // the worker recognises by x_opencti_definition(_type), as the official connectors do.
                ? new MarkingDefinition("marking-definition", "2.1", id, TLP_CREATED, "statement", null,
                        Map.of("statement", "custom"), "TLP", openctiName)
                : new MarkingDefinition("marking-definition", "2.1", id, TLP_CREATED, "tlp",
                        "TLP:" + configName.toUpperCase(Locale.ROOT), Map.of("tlp", configName), null, null);
    }

    /**
     * Parses a configured TLP: case-insensitive, surrounding whitespace ignored, with or without
     * a "TLP:" prefix; "clear" (TLP 2.0) is the same level as "white".
     *
     * @throws IllegalArgumentException for anything else, naming the accepted values
     */
    public static Tlp fromConfig(String value) {
        if (value != null) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            if (v.startsWith("tlp:")) {
                v = v.substring(4);
            }
            switch (v) {
                case "white", "clear":
                    return WHITE;
                case "green":
                    return GREEN;
                case "amber":
                    return AMBER;
                case "amber+strict":
                    return AMBER_STRICT;
                case "red":
                    return RED;
                default:
                    break;
            }
        }
        throw new IllegalArgumentException("unknown TLP '" + value + "'; accepted (case-insensitive, optionally "
                + "prefixed with TLP:): " + ACCEPTED_VALUES);
    }

    /** The static marking-definition id, the same in pycti, python-stix2 and the platform. */
    public String id() {
        return id;
    }

    /** The marking-definition object to include in a bundle next to {@code object_marking_refs}. */
    public MarkingDefinition marking() {
        return marking;
    }

    /** The platform's definition name, e.g. "TLP:CLEAR" (never "TLP:WHITE") or "TLP:AMBER+STRICT". */
    public String openctiName() {
        return openctiName;
    }

    /**
     * pycti {@code check_max_tlp(other, this)} with this level as the maximum: whether data marked
     * {@code other} may be handled. Each level allows itself and every less restrictive one, which
     * is exactly pycti's allowed-set table (RED allows all, WHITE/CLEAR only WHITE/CLEAR).
     * Like pycti, unmarked data ({@code other == null}) is allowed.
     */
    public boolean allows(Tlp other) {
        return other == null || other.ordinal() <= ordinal();
    }
}
