package io.ctifeeds.stix;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A STIX 2.1 sighting. {@code sighting_of_ref} must be an SDO (STIX 2.1 §5.2): an indicator, never an observable
 * and never a placeholder id. The id is the caller's (pycti's generator over sighting_of_ref, where_sighted_refs
 * and optionally the dates), so the caller decides which dates, if any, make a sighting a new one.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"type", "spec_version", "id", "created", "modified", "created_by_ref", "description",
    "first_seen", "last_seen", "count", "sighting_of_ref", "where_sighted_refs", "confidence",
    "object_marking_refs", "external_references"})
public record Sighting(
        @JsonProperty("id") String id,
        @JsonProperty("created") String created,
        @JsonProperty("modified") String modified,
        @JsonProperty("created_by_ref") String createdByRef,
        @JsonProperty("description") String description,
        @JsonProperty("first_seen") String firstSeen,
        @JsonProperty("last_seen") String lastSeen,
        @JsonProperty("count") Integer count,
        @JsonProperty("sighting_of_ref") String sightingOfRef,
        @JsonProperty("where_sighted_refs") List<String> whereSightedRefs,
        @JsonProperty("confidence") Integer confidence,
        @JsonProperty("object_marking_refs") List<String> objectMarkingRefs,
        @JsonProperty("external_references") List<ExternalReference> externalReferences) implements StixObject {

    @Override
    @JsonProperty("type")
    public String type() {
        return "sighting";
    }

    @JsonProperty("spec_version")
    public String specVersion() {
        return "2.1";
    }
}
