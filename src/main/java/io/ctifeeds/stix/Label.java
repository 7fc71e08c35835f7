package io.ctifeeds.stix;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An OpenCTI label as a bundle object (an OpenCTI meta object, not a STIX type). pycti's worker imports a
 * {@code label} object with {@code label.create(stix_id, value, color)} ({@code import_item} in
 * {@code pycti/utils/opencti_stix2.py}), so this is how a label's colour reaches the platform without a GraphQL
 * call. The platform's {@code addLabel} returns an existing label unchanged, so the colour applies only when this
 * object creates the label.
 *
 * <p>No created/modified: with them the object would match both the SDO and the SCO core schemas, and the STIX
 * bundle schema's {@code oneOf} would reject it; pycti reads only id, value and color.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "spec_version", "id", "value", "color"})
public record Label(
        @JsonProperty("id") String id,
        @JsonProperty("value") String value,
        @JsonProperty("color") String color) implements StixObject {

    /**
     * The id is pycti's generator over the value as the platform stores a new label ({@link IdRules#labelValue}),
     * which is the platform's own standard id for it, so label and platform agree whatever the value's case.
     */
    public static Label of(String value, String color, IdRules rules) {
        return new Label(rules.labelId(value), value, color);
    }

    @Override
    @JsonProperty("type")
    public String type() {
        return "label";
    }

    @JsonProperty("spec_version")
    public String specVersion() {
        return "2.1";
    }
}
