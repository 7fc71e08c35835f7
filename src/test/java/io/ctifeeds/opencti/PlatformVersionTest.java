package io.ctifeeds.opencti;

import io.ctifeeds.stix.IdRules;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlatformVersionTest {

    @Test
    void parsesReleasesAndLtsBuildsAndOrdersThem() {
        PlatformVersion six = PlatformVersion.parse("6.9.17");
        PlatformVersion seven = PlatformVersion.parse(" 7.260817.0 ");
        PlatformVersion lts = PlatformVersion.parse("7.260309.0-lts.2");
        assertEquals(new PlatformVersion(6, 9, 17), six);
        assertEquals(new PlatformVersion(7, 260817, 0), seven);
        assertEquals(new PlatformVersion(7, 260309, 0), lts, "the LTS qualifier is not a version part");
        assertTrue(six.compareTo(lts) < 0 && lts.compareTo(seven) < 0);
        assertTrue(six.atLeast(6, 9, 10) && !six.atLeast(6, 10, 0) && !six.atLeast(7, 0, 0));
        assertTrue(PlatformVersion.parse("6.10.0").atLeast(6, 9, 17), "numeric, not textual, order");
        assertEquals("7.260309.0", lts.toString());
    }

    @Test
    void anUnreadableVersionIsTheNewest() {
        for (String odd : new String[] {null, "", "dev", "7.x", "7"}) {
            assertEquals(PlatformVersion.NEWEST, PlatformVersion.parse(odd), String.valueOf(odd));
        }
        assertEquals(IdRules.NEWEST, PlatformVersion.NEWEST.idRules());
    }

    @Test
    void eachIdRuleStartsAtTheReleaseThatBroughtIt() {
        assertEquals(IdRules.OPENCTI_6, PlatformVersion.parse("6.9.17").idRules());
        assertEquals(IdRules.OPENCTI_6, PlatformVersion.parse("7.260309.0-lts.2").idRules());
        assertEquals(new IdRules(false, true, false), PlatformVersion.parse("7.260416.0").idRules());
        assertEquals(new IdRules(true, true, false), PlatformVersion.parse("7.260529.0").idRules());
        assertEquals(new IdRules(true, true, false), PlatformVersion.parse("7.260806.9").idRules());
        assertEquals(IdRules.NEWEST, PlatformVersion.parse("7.260807.0").idRules());
        assertEquals(IdRules.NEWEST, PlatformVersion.parse("7.260817.0").idRules());
        assertFalse(PlatformVersion.parse("7.260415.0").idRules().noteAbstract());
    }
}
