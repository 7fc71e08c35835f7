package io.ctifeeds.opencti;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Python's {@code json.dumps(obj)} with its defaults, for Jackson trees: separators {@code ", "}
 * and {@code ": "}, {@code ensure_ascii=True}, {@code allow_nan=True}, keys in the order the node
 * holds them. pycti serialises every split bundle and every AMQP message this way; producing the
 * same bytes lets golden files taken from pycti compare equal, byte for byte.
 *
 * <ul>
 *   <li>Strings: {@code \"}, {@code \\}, {@code \n}, {@code \r}, {@code \t}, {@code \b},
 *       {@code \f}; every other char outside U+0020..U+007E (control chars, DEL, all non-ASCII)
 *       as {@code \}{@code uxxxx} in lower-case hex. A Java string is UTF-16, so a char past the
 *       BMP already is the surrogate pair Python writes, and a lone surrogate is written as
 *       itself, also as Python does. {@code /} is not escaped.</li>
 *   <li>Integral numbers (int, long, BigInteger nodes): decimal, as Python ints.</li>
 *   <li>Floating numbers (double, float, BigDecimal nodes): Python {@code repr} of the double
 *       value ({@link PythonFloat}); a float node is widened first, a BigDecimal rounded to the
 *       nearest double, as {@code json.loads} would have produced a Python float. NaN and the
 *       infinities become {@code NaN}, {@code Infinity}, {@code -Infinity}.</li>
 *   <li>{@code true}, {@code false}, {@code null}; empty containers as {@code []} and {@code {}}.</li>
 * </ul>
 *
 * The output is pure ASCII, so its UTF-8 bytes are its chars. Nesting is followed by recursion:
 * STIX objects are a few levels deep (Python's own encoder recurses too).
 */
public final class PythonJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** Chars written as themselves: printable ASCII except the quote and the backslash. */
    private static final boolean[] PLAIN = new boolean[128];

    static {
        for (char c = 0x20; c < 0x7f; c++) {
            PLAIN[c] = c != '"' && c != '\\';
        }
    }

    private PythonJson() {
    }

    /** {@code json.dumps(node)}. */
    public static String dumps(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(node, out);
        return out.toString();
    }

    /** {@code json.dumps(node).encode("utf-8")}; the text is ASCII, so this is one byte per char. */
    public static byte[] dumpsUtf8(JsonNode node) {
        return dumps(node).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Appends {@code json.dumps(node)} to {@code out}.
     *
     * @throws IllegalArgumentException for node types JSON has no form for (binary, POJO, missing)
     */
    public static void write(JsonNode node, StringBuilder out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out);
            case ARRAY -> writeArray(node, out);
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> writeNumber(node, out);
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case NULL -> out.append("null");
            default -> throw new IllegalArgumentException("no JSON form for a " + node.getNodeType() + " node");
        }
    }

    /** Appends {@code s} as a JSON string literal with Python's ASCII-only escaping. */
    public static void writeString(String s, StringBuilder out) {
        out.append('"');
        int n = s.length();
        int plainFrom = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 128 && PLAIN[c]) {
                continue;
            }
            // copy the plain run in one call; most strings are a single run
            if (i > plainFrom) {
                out.append(s, plainFrom, i);
            }
            plainFrom = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append("\\u")
                        .append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                        .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
            }
        }
        if (plainFrom == 0) {
            out.append(s); // no escape at all, the common case: one array copy
        } else if (plainFrom < n) {
            out.append(s, plainFrom, n);
        }
        out.append('"');
    }

    private static void writeObject(JsonNode node, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            writeString(field.getKey(), out);
            out.append(": ");
            write(field.getValue(), out);
        }
        out.append('}');
    }

    private static void writeArray(JsonNode node, StringBuilder out) {
        out.append('[');
        for (int i = 0, n = node.size(); i < n; i++) {
            if (i > 0) {
                out.append(", ");
            }
            write(node.get(i), out);
        }
        out.append(']');
    }

    private static void writeNumber(JsonNode node, StringBuilder out) {
        switch (node.numberType()) {
            case INT -> out.append(node.intValue());
            case LONG -> out.append(node.longValue());
            case BIG_INTEGER -> out.append(node.bigIntegerValue());
            // FLOAT, DOUBLE, BIG_DECIMAL: Python only has the double
            default -> out.append(PythonFloat.repr(node.doubleValue()));
        }
    }
}
