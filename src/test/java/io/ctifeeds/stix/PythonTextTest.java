package io.ctifeeds.stix;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PythonTextTest {

    /** {@code python_strip_whitespace_codepoints}, PROTOCOL §5.1: exactly the str.isspace() set. */
    private static final int[] PYTHON_WHITESPACE = {0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x20,
            0x85, 0xA0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009,
            0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000};

    @Test
    void whitespaceSetIsExactlyPythons() {
        Set<Integer> expected = new HashSet<>();
        for (int cp : PYTHON_WHITESPACE) {
            expected.add(cp);
        }
        for (int c = 0; c <= 0xFFFF; c++) {
            assertEquals(expected.contains(c), PythonText.isPythonWhitespace((char) c), "U+" + Integer.toHexString(c));
        }
    }

    @Test
    void stripRemovesEachPythonWhitespaceAtBothEnds() {
        for (int cp : PYTHON_WHITESPACE) {
            String ws = String.valueOf((char) cp);
            assertEquals("a b", PythonText.strip(ws + ws + "a b" + ws), "U+" + Integer.toHexString(cp));
        }
    }

    @Test
    void stripKeepsWhatJavaTrimWouldRemove() {
        // trim() removes every char <= U+0020; Python keeps the non-space controls
        assertEquals("\u0000x\u0008", PythonText.strip("\u0000x\u0008"));
        assertEquals("\u000ex\u001b", PythonText.strip(" \u000ex\u001b "));
    }

    @Test
    void stripRemovesWhatJavaStripKeeps() {
        assertEquals("x", PythonText.strip("\u0085\u00a0x\u2007\u202f"));
    }

    @Test
    void stripKeepsNonWhitespaceFormatCharacters() {
        assertEquals("\u200bx\ufeff", PythonText.strip("\u200bx\ufeff")); // ZWSP, BOM
        assertEquals("\u180ex", PythonText.strip("\u180ex")); // Mongolian vowel separator, not space since Unicode 6.3
    }

    @Test
    void stripEdgeCases() {
        assertEquals("", PythonText.strip(""));
        assertEquals("", PythonText.strip(" \t\u3000\n"));
        String unchanged = "no-op";
        assertSame(unchanged, PythonText.strip(unchanged));
    }

    @Test
    void lowerIsLocaleIndependent() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals("title", PythonText.lower("TITLE"));
            assertTrue("TITLE".toLowerCase().contains("\u0131"), "precondition: the default locale matters");
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void lowerMatchesPythonFullCaseMapping() {
        // Python: 'CROWDSEC'.lower(), 'ÉCOLE'.lower(), 'ΟΔΟΣ'.lower() (final sigma), 'İ'.lower() == 'i̇'
        assertEquals("crowdsec", PythonText.lower("CrowdSec"));
        assertEquals("\u00e9cole", PythonText.lower("\u00c9COLE"));
        assertEquals("\u03bf\u03b4\u03bf\u03c2", PythonText.lower("\u039f\u0394\u039f\u03a3"));
        assertEquals("i\u0307", PythonText.lower("\u0130"));
        assertFalse(PythonText.lower("ABC").equals("ABC"));
    }
}
