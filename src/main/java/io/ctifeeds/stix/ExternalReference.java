package io.ctifeeds.stix;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A STIX external-reference (common/external-reference.json). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExternalReference(
        @JsonProperty("source_name") String sourceName,
        @JsonProperty("url") String url,
        @JsonProperty("description") String description,
        @JsonProperty("external_id") String externalId) {
}
