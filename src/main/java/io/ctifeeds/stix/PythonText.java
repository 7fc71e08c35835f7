package io.ctifeeds.stix;

import java.util.Locale;

/**
 * The two Python string operations pycti applies before hashing ids. They must match CPython
 * exactly, otherwise our ids and the platform's diverge and OpenCTI creates duplicates.
 */
public final class PythonText {

    private PythonText() {
    }

    /**
     * Python {@code str.strip()} with no argument: removes the code points for which
     * {@code str.isspace()} is true. Java has no equivalent: {@link String#trim()} removes every
     * char &lt;= U+0020 (so also U+0000..U+0008, which Python keeps) and nothing above, and
     * {@link String#strip()} keeps U+0085, U+00A0, U+2007 and U+202F, which Python removes.
     */
    public static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonWhitespace(s.charAt(start))) {
            start++;
        }
        while (end > start && isPythonWhitespace(s.charAt(end - 1))) {
            end--;
        }
        return (start == 0 && end == s.length()) ? s : s.substring(start, end);
    }

    /**
     * Python {@code str.lower()}. {@code Locale.ROOT} keeps the result independent of the JVM's
     * default locale (a Turkish default would turn 'I' into a dotless i).
     */
    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    /** CPython's {@code Py_UNICODE_ISSPACE}; every member is in the BMP, so a char test suffices. */
    static boolean isPythonWhitespace(char c) {
        if (c <= 0x20) {
            return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
        }
        if (c < 0x85) {
            return false;
        }
        return c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A)
                || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }
}
