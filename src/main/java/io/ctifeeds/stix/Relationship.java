package io.ctifeeds.stix;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A STIX 2.1 relationship with pycti's deterministic id (type, source, target; no dates). */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"type", "spec_version", "id", "created", "modified", "relationship_type", "description",
    "source_ref", "target_ref", "created_by_ref", "confidence", "object_marking_refs"})
public record Relationship(
        @JsonProperty("id") String id,
        @JsonProperty("created") String created,
        @JsonProperty("modified") String modified,
        @JsonProperty("relationship_type") String relationshipType,
        @JsonProperty("description") String description,
        @JsonProperty("source_ref") String sourceRef,
        @JsonProperty("target_ref") String targetRef,
        @JsonProperty("created_by_ref") String createdByRef,
        @JsonProperty("confidence") Integer confidence,
        @JsonProperty("object_marking_refs") List<String> objectMarkingRefs) implements StixObject {

    public static Relationship of(String type, String sourceRef, String targetRef, String timestamp,
                                  String createdByRef, List<String> markingRefs) {
        return new Relationship(StixIds.relationship(type, sourceRef, targetRef), timestamp, timestamp, type,
                null, sourceRef, targetRef, createdByRef, null, markingRefs);
    }

    @Override
    @JsonProperty("type")
    public String type() {
        return "relationship";
    }

    @JsonProperty("spec_version")
    public String specVersion() {
        return "2.1";
    }
}
