package io.ctifeeds.opencti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Expected texts follow the Python documentation of {@code json.dumps} defaults (ensure_ascii=True,
 * separators {@code (', ', ': ')}, allow_nan=True) and of {@code float.__repr__} (shortest
 * round-tripping digits; scientific notation below 1e-4 and from 1e16 on, two-digit signed
 * exponent). Each was also confirmed against CPython 3.11's own {@code json.dumps}.
 */
class PythonJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    // ---- strings ------------------------------------------------------------------------------

    @Test
    void plainAsciiIsWrittenAsIs() {
        assertEquals("\"abc XYZ 0-9 ~!@#$%^&*()_+{}[]|:;'<>,.?/\"",
                dumps(TextNode.valueOf("abc XYZ 0-9 ~!@#$%^&*()_+{}[]|:;'<>,.?/")));
    }

    @Test
    void nonAsciiBecomesLowerCaseUnicodeEscapes() {
        assertEquals("\"caf\\u00e9 \\u65e5\\u672c \\u2028 \\uffff\"", dumps(TextNode.valueOf("café 日本 \u2028 \uffff")));
    }

    @Test
    void astralCharsBecomeSurrogatePairs() {
        assertEquals("\"\\ud83d\\ude00\"", dumps(TextNode.valueOf("\uD83D\uDE00"))); // U+1F600
    }

    @Test
    void loneSurrogateIsEscapedAsItself() {
        assertEquals("\"\\ud800x\"", dumps(TextNode.valueOf("\uD800x")));
    }

    @Test
    void quoteBackslashAndControlChars() {
        assertEquals("\"\\\"\\\\\\n\\r\\t\\b\\f\\u0000\\u001f\\u007f/\"",
                dumps(TextNode.valueOf("\"\\\n\r\t\b\f\u0000\u001f\u007f/")));
    }

    // ---- containers ---------------------------------------------------------------------------

    @Test
    void nestedContainersWithPythonSeparatorsAndKeyOrderKept() throws Exception {
        JsonNode node = MAPPER.readTree("{\"z\":1,\"a\":[1,{\"b\":null},[],{}],\"é\":true,\"d\":false}");

        assertEquals("{\"z\": 1, \"a\": [1, {\"b\": null}, [], {}], \"\\u00e9\": true, \"d\": false}", dumps(node));
    }

    @Test
    void emptyContainers() {
        assertEquals("{}", dumps(MAPPER.createObjectNode()));
        assertEquals("[]", dumps(MAPPER.createArrayNode()));
        assertEquals("[[]]", dumps(MAPPER.createArrayNode().add(MAPPER.createArrayNode())));
    }

    @Test
    void utf8BytesAreTheAsciiText() {
        ObjectNode node = MAPPER.createObjectNode().put("name", "é");
        assertArrayEquals("{\"name\": \"\\u00e9\"}".getBytes(StandardCharsets.US_ASCII), PythonJson.dumpsUtf8(node));
    }

    // ---- numbers ------------------------------------------------------------------------------

    @Test
    void integersAsPythonInts() {
        assertEquals("0", dumps(IntNode.valueOf(0)));
        assertEquals("-1", dumps(IntNode.valueOf(-1)));
        assertEquals("9223372036854775807", dumps(LongNode.valueOf(Long.MAX_VALUE)));
        assertEquals("-9223372036854775808", dumps(LongNode.valueOf(Long.MIN_VALUE)));
        assertEquals("18446744073709551616", dumps(BigIntegerNode.valueOf(BigInteger.TWO.pow(64))));
    }

    @Test
    void floatsAsPythonRepr() {
        assertFloat("1.0", 1.0);
        assertFloat("100.0", 100.0);
        assertFloat("-2.5", -2.5);
        assertFloat("123.456", 123.456);
        assertFloat("0.1", 0.1);
        assertFloat("0.30000000000000004", 0.1 + 0.2);
        assertFloat("0.0", 0.0);
        assertFloat("-0.0", -0.0);
        // fixed notation up to 16 integer digits, scientific from 1e16
        assertFloat("1000000000000000.0", 1e15);
        assertFloat("1234567890123456.0", 1234567890123456.0);
        assertFloat("1e+16", 1e16);
        assertFloat("1.2345678901234568e+16", 12345678901234567.0);
        assertFloat("1e+22", 1e22);
        // fixed notation down to 1e-4, scientific below
        assertFloat("0.0001", 0.0001);
        assertFloat("1e-05", 0.00001);
        assertFloat("1.5e-07", 1.5e-7);
        // extremes
        assertFloat("5e-324", Double.MIN_VALUE);
        assertFloat("1.7976931348623157e+308", Double.MAX_VALUE);
    }

    /** Java 17's Double.toString prints 1.9999999999999998E23 and 8.409999999999999E21 here. */
    @Test
    void floatsUseTheShortestDigitsWhereJava17DoesNot() {
        assertFloat("2e+23", 2e23);
        assertFloat("8.41e+21", 8.41e21);
    }

    @Test
    void nonFiniteFloatsAsPythonTokens() {
        assertFloat("NaN", Double.NaN);
        assertFloat("Infinity", Double.POSITIVE_INFINITY);
        assertFloat("-Infinity", Double.NEGATIVE_INFINITY);
    }

    @Test
    void floatAndDecimalNodesAreWrittenAsTheDoublePythonWouldHold() {
        assertEquals("0.10000000149011612", dumps(FloatNode.valueOf(0.1f)));
        assertEquals("1.1", dumps(DecimalNode.valueOf(new BigDecimal("1.10"))));
    }

    @Test
    void nodesWithoutJsonFormAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> dumps(BinaryNode.valueOf(new byte[] {1})));
    }

    private static void assertFloat(String expected, double value) {
        assertEquals(expected, dumps(DoubleNode.valueOf(value)), Double.toString(value));
    }

    private static String dumps(JsonNode node) {
        return PythonJson.dumps(node);
    }
}
