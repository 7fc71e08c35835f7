package io.ctifeeds.crowdsec.mapping;

import java.util.regex.Pattern;

/**
 * Whether one kind of label is applied, and its colour ({@code #RRGGBB}, as OpenCTI stores label colours).
 *
 * @throws IllegalArgumentException for a colour that is not {@code #} and six hex digits
 */
public record LabelRule(boolean enabled, String color) {

    private static final Pattern COLOR = Pattern.compile("#[0-9A-Fa-f]{6}");

    public LabelRule {
        if (color == null || !COLOR.matcher(color).matches()) {
            throw new IllegalArgumentException("label colour '" + color + "' is not of the form #RRGGBB");
        }
    }
}
