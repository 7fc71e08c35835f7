package io.ctifeeds.stix;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A STIX 2.1 location of a named OpenCTI kind ({@code x_opencti_location_type} "Country", "City", ...), id keyed
 * on name and kind as pycti does. The STIX schema wants one of region, country or coordinates, so a country
 * carries its ISO 3166-1 alpha-2 code in {@code country}. {@code x_opencti_aliases} lets the platform merge it
 * with a country it already knows under another name (it also keys entities on their aliases).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonPropertyOrder({"type", "spec_version", "id", "created", "modified", "created_by_ref", "name", "country",
    "object_marking_refs", "x_opencti_aliases", "x_opencti_location_type"})
public record Location(
        @JsonProperty("id") String id,
        @JsonProperty("created") String created,
        @JsonProperty("modified") String modified,
        @JsonProperty("created_by_ref") String createdByRef,
        @JsonProperty("name") String name,
        @JsonProperty("country") String country,
        @JsonProperty("object_marking_refs") List<String> objectMarkingRefs,
        @JsonProperty("x_opencti_aliases") List<String> aliases,
        @JsonProperty("x_opencti_location_type") String locationType) implements StixObject {

    /** An unattributed, unmarked country: what every feed may send without claiming it. */
    public static Location ofCountry(String name, String alpha2, List<String> aliases, String timestamp) {
        return new Location(StixIds.location(name, "Country"), timestamp, timestamp, null, name, alpha2, null,
                aliases, "Country");
    }

    @Override
    @JsonProperty("type")
    public String type() {
        return "location";
    }

    @JsonProperty("spec_version")
    public String specVersion() {
        return "2.1";
    }
}
