package io.ctifeeds.stix;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TlpTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @ParameterizedTest
    @CsvSource({
            "white, WHITE", "WHITE, WHITE", "clear, WHITE", "Clear, WHITE", "TLP:CLEAR, WHITE", "tlp:white, WHITE",
            "green, GREEN", "TLP:GREEN, GREEN", "Tlp:Green, GREEN",
            "amber, AMBER", "AMBER, AMBER", "TLP:AMBER, AMBER",
            "amber+strict, AMBER_STRICT", "AMBER+STRICT, AMBER_STRICT", "TLP:AMBER+STRICT, AMBER_STRICT",
            "red, RED", "TLP:RED, RED", "'  red ', RED",
    })
    void parsesConfigValues(String config, Tlp expected) {
        assertSame(expected, Tlp.fromConfig(config));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "TLP:", "amber_strict", "amber strict", "amberstrict", "TLP:PURPLE", "TLP-RED",
            "TLP: RED", "pap:red", "4"})
    void rejectsUnknownValuesNamingTheAcceptedOnes(String config) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tlp.fromConfig(config));
        for (String accepted : new String[] {"white", "clear", "green", "amber", "amber+strict", "red", "TLP:"}) {
            assertTrue(e.getMessage().contains(accepted), e.getMessage() + " should mention " + accepted);
        }
        assertTrue(e.getMessage().contains("'" + config + "'"), e.getMessage());
    }

    @Test
    void staticIdsMatchPyctiAndStix2() {
        // PROTOCOL §6
        assertEquals("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp.WHITE.id());
        assertEquals("marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp.GREEN.id());
        assertEquals("marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp.AMBER.id());
        assertEquals("marking-definition--826578e1-40ad-459f-bc73-ede076f81f37", Tlp.AMBER_STRICT.id());
        assertEquals("marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp.RED.id());
        for (Tlp tlp : Tlp.values()) {
            assertEquals(tlp.id(), tlp.marking().id());
        }
    }

    @Test
    void openctiNames() {
        assertEquals("TLP:CLEAR", Tlp.WHITE.openctiName());
        assertEquals("TLP:GREEN", Tlp.GREEN.openctiName());
        assertEquals("TLP:AMBER", Tlp.AMBER.openctiName());
        assertEquals("TLP:AMBER+STRICT", Tlp.AMBER_STRICT.openctiName());
        assertEquals("TLP:RED", Tlp.RED.openctiName());
    }

    @Test
    void stix2ConstantMarkingsSerialiseExactly() throws Exception {
        // the stix2.TLP_* shapes of PROTOCOL §6, property order included
        assertEquals("{\"type\":\"marking-definition\",\"spec_version\":\"2.1\","
                        + "\"id\":\"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9\","
                        + "\"created\":\"2017-01-20T00:00:00.000Z\",\"definition_type\":\"tlp\","
                        + "\"name\":\"TLP:WHITE\",\"definition\":{\"tlp\":\"white\"}}",
                MAPPER.writeValueAsString(Tlp.WHITE.marking()));
        assertEquals("{\"type\":\"marking-definition\",\"spec_version\":\"2.1\","
                        + "\"id\":\"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da\","
                        + "\"created\":\"2017-01-20T00:00:00.000Z\",\"definition_type\":\"tlp\","
                        + "\"name\":\"TLP:GREEN\",\"definition\":{\"tlp\":\"green\"}}",
                MAPPER.writeValueAsString(Tlp.GREEN.marking()));
        assertEquals("{\"type\":\"marking-definition\",\"spec_version\":\"2.1\","
                        + "\"id\":\"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82\","
                        + "\"created\":\"2017-01-20T00:00:00.000Z\",\"definition_type\":\"tlp\","
                        + "\"name\":\"TLP:AMBER\",\"definition\":{\"tlp\":\"amber\"}}",
                MAPPER.writeValueAsString(Tlp.AMBER.marking()));
        assertEquals("{\"type\":\"marking-definition\",\"spec_version\":\"2.1\","
                        + "\"id\":\"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed\","
                        + "\"created\":\"2017-01-20T00:00:00.000Z\",\"definition_type\":\"tlp\","
                        + "\"name\":\"TLP:RED\",\"definition\":{\"tlp\":\"red\"}}",
                MAPPER.writeValueAsString(Tlp.RED.marking()));
    }

    @Test
    void amberStrictIsAStatementMarkingWithOpenctiDefinitionAndFixedDate() throws Exception {
        // the connectors' shape (PROTOCOL §6) with the stix2 TLP date instead of "now"
        assertEquals("{\"type\":\"marking-definition\",\"spec_version\":\"2.1\","
                        + "\"id\":\"marking-definition--826578e1-40ad-459f-bc73-ede076f81f37\","
                        + "\"created\":\"2017-01-20T00:00:00.000Z\",\"definition_type\":\"statement\","
                        + "\"definition\":{\"statement\":\"custom\"},"
                        + "\"x_opencti_definition_type\":\"TLP\",\"x_opencti_definition\":\"TLP:AMBER+STRICT\"}",
                MAPPER.writeValueAsString(Tlp.AMBER_STRICT.marking()));
    }

    @Test
    void markingIsAStixObject() {
        StixObject o = Tlp.RED.marking();
        assertEquals("marking-definition", o.type());
        assertEquals(Tlp.RED.id(), o.id());
    }

    @Test
    void markingDefinitionIsImmutable() {
        assertThrows(UnsupportedOperationException.class, () -> Tlp.AMBER.marking().definition().put("tlp", "red"));
    }

    @Test
    void allowsMatchesCheckMaxTlpTable() {
        // PROTOCOL §6, check_max_tlp's allowed sets, keyed by max_tlp
        Map<Tlp, Set<Tlp>> allowed = Map.of(
                Tlp.RED, EnumSet.allOf(Tlp.class),
                Tlp.AMBER_STRICT, EnumSet.of(Tlp.WHITE, Tlp.GREEN, Tlp.AMBER, Tlp.AMBER_STRICT),
                Tlp.AMBER, EnumSet.of(Tlp.WHITE, Tlp.GREEN, Tlp.AMBER),
                Tlp.GREEN, EnumSet.of(Tlp.WHITE, Tlp.GREEN),
                Tlp.WHITE, EnumSet.of(Tlp.WHITE));
        for (Tlp max : Tlp.values()) {
            for (Tlp tlp : Tlp.values()) {
                assertEquals(allowed.get(max).contains(tlp), max.allows(tlp), max + " allows " + tlp);
            }
        }
    }

    @Test
    void unmarkedDataIsAllowedAsInPycti() {
        for (Tlp max : Tlp.values()) {
            assertTrue(max.allows(null), max.name());
        }
    }

    @Test
    void clearAndWhiteAreOneLevel() {
        assertSame(Tlp.fromConfig("clear"), Tlp.fromConfig("TLP:WHITE"));
        assertTrue(Tlp.fromConfig("clear").allows(Tlp.fromConfig("white")));
        assertTrue(Tlp.fromConfig("white").allows(Tlp.fromConfig("TLP:CLEAR")));
    }
}
