package io.ctifeeds.stix;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A STIX 2.1 note. pycti keys its id on {@code content} and {@code created} (since 7.260416.0 also a non-blank
 * {@code abstract}); {@link #of} derives the id
 * from the very strings the object carries, so a re-send of the same content with the same created date is the same note.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"type", "spec_version", "id", "created", "modified", "created_by_ref", "abstract", "content",
    "note_types", "object_refs", "confidence", "object_marking_refs", "external_references"})
public record Note(
        @JsonProperty("id") String id,
        @JsonProperty("created") String created,
        @JsonProperty("modified") String modified,
        @JsonProperty("created_by_ref") String createdByRef,
        @JsonProperty("abstract") String noteAbstract,
        @JsonProperty("content") String content,
        @JsonProperty("note_types") List<String> noteTypes,
        @JsonProperty("object_refs") List<String> objectRefs,
        @JsonProperty("confidence") Integer confidence,
        @JsonProperty("object_marking_refs") List<String> objectMarkingRefs,
        @JsonProperty("external_references") List<ExternalReference> externalReferences) implements StixObject {

    /**
     * @param idCreated the {@code created} string that enters the id, or null to key the id on the content alone
     *                  (pycti allows both); usually equal to {@code created}
     */
    public static Note of(String idCreated, String created, String modified, String createdByRef, String noteAbstract,
                          String content, List<String> noteTypes, List<String> objectRefs, Integer confidence,
                          List<String> objectMarkingRefs, List<ExternalReference> externalReferences,
                          IdRules rules) {
        return new Note(rules.note(idCreated, content, noteAbstract), created, modified, createdByRef, noteAbstract, content,
                noteTypes, objectRefs, confidence, objectMarkingRefs, externalReferences);
    }

    @Override
    @JsonProperty("type")
    public String type() {
        return "note";
    }

    @JsonProperty("spec_version")
    public String specVersion() {
        return "2.1";
    }
}
