package io.ctifeeds.stix;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * An ipv4-addr or ipv6-addr observable. SCOs may not carry created_by_ref or labels in STIX, so the OpenCTI
 * custom properties (x_opencti_*) carry the author, labels, score and references, as pycti's connectors do.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"type", "spec_version", "id", "value", "object_marking_refs", "x_opencti_score",
    "x_opencti_description", "x_opencti_labels", "x_opencti_created_by_ref", "x_opencti_external_references"})
public record IpObservable(
        @JsonProperty("type") String type,
        @JsonProperty("id") String id,
        @JsonProperty("value") String value,
        @JsonProperty("object_marking_refs") List<String> objectMarkingRefs,
        @JsonProperty("x_opencti_score") Integer score,
        @JsonProperty("x_opencti_description") String description,
        @JsonProperty("x_opencti_labels") List<String> labels,
        @JsonProperty("x_opencti_created_by_ref") String createdByRef,
        @JsonProperty("x_opencti_external_references") List<ExternalReference> externalReferences)
        implements StixObject {

    @JsonProperty("spec_version")
    public String specVersion() {
        return "2.1";
    }
}
