package io.ctifeeds.stix;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A STIX 2.1 indicator, with the OpenCTI extensions the platform reads on import. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"type", "spec_version", "id", "created", "modified", "created_by_ref", "name", "description",
    "indicator_types", "pattern", "pattern_type", "valid_from", "valid_until", "revoked", "confidence", "labels",
    "object_marking_refs", "external_references", "x_opencti_score", "x_opencti_main_observable_type"})
public record Indicator(
        @JsonProperty("id") String id,
        @JsonProperty("created") String created,
        @JsonProperty("modified") String modified,
        @JsonProperty("created_by_ref") String createdByRef,
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("indicator_types") List<String> indicatorTypes,
        @JsonProperty("pattern") String pattern,
        @JsonProperty("pattern_type") String patternType,
        @JsonProperty("valid_from") String validFrom,
        @JsonProperty("valid_until") String validUntil,
        // always written, false included: OpenCTI's upsert leaves a property the bundle lacks as it was, so an
        // indicator revoked once (an IP delisted, then listed again) would stay revoked on the platform
        @JsonProperty("revoked") @JsonInclude(JsonInclude.Include.ALWAYS) boolean revoked,
        @JsonProperty("confidence") Integer confidence,
        @JsonProperty("labels") List<String> labels,
        @JsonProperty("object_marking_refs") List<String> objectMarkingRefs,
        @JsonProperty("external_references") List<ExternalReference> externalReferences,
        @JsonProperty("x_opencti_score") Integer score,
        @JsonProperty("x_opencti_main_observable_type") String mainObservableType) implements StixObject {

    @Override
    @JsonProperty("type")
    public String type() {
        return "indicator";
    }

    @JsonProperty("spec_version")
    public String specVersion() {
        return "2.1";
    }
}
