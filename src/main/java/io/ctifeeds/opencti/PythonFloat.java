package io.ctifeeds.opencti;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code float.__repr__}, which {@code json.dumps} uses for floats.
 *
 * <p>Python prints the shortest decimal that reads back as the same double (David Gay's dtoa, mode
 * 0), in fixed notation when the decimal exponent is in [-4, 16) and in scientific notation with
 * a signed, at least two-digit exponent otherwise ({@code 1e+16}, {@code 1e-05}). Java 17's
 * {@link Double#toString} is neither always shortest (JDK-4511638, fixed only in 19) nor in that
 * layout, so the digits are searched here: the correctly rounded p-digit decimal for p = 1, 2, ...
 * until one parses back to the same double. That is the shortest one, and among the shortest the
 * closest, as Python's. It costs a few BigDecimal operations per float, fine for our objects, which
 * carry no floats at all.
 */
final class PythonFloat {

    private PythonFloat() {
    }

    /** {@code repr(x)}, plus the {@code NaN}/{@code Infinity} tokens json.dumps writes (allow_nan=True). */
    static String repr(double x) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "Infinity" : "-Infinity";
        }
        boolean negative = (Double.doubleToRawLongBits(x) & Long.MIN_VALUE) != 0;
        double abs = Math.abs(x);
        if (abs == 0.0) {
            return negative ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortestRoundTrip(abs);
        String digits = shortest.unscaledValue().toString();
        // value = 0.<digits> x 10^pointPos
        int pointPos = digits.length() - shortest.scale();
        StringBuilder out = new StringBuilder(24);
        if (negative) {
            out.append('-');
        }
        if (pointPos > -4 && pointPos <= 16) {
            fixed(out, digits, pointPos);
        } else {
            scientific(out, digits, pointPos - 1);
        }
        return out.toString();
    }

    private static BigDecimal shortestRoundTrip(double abs) {
        BigDecimal exact = new BigDecimal(abs);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal candidate = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (candidate.doubleValue() == abs) {
                return candidate.stripTrailingZeros();
            }
        }
        // 17 significant digits always identify a double
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }

    private static void fixed(StringBuilder out, String digits, int pointPos) {
        int n = digits.length();
        if (pointPos <= 0) {
            out.append("0.");
            out.append("0".repeat(-pointPos));
            out.append(digits);
        } else if (pointPos >= n) {
            out.append(digits);
            out.append("0".repeat(pointPos - n));
            out.append(".0"); // Python marks floats that print as integers: 100.0
        } else {
            out.append(digits, 0, pointPos).append('.').append(digits, pointPos, n);
        }
    }

    private static void scientific(StringBuilder out, String digits, int exponent) {
        out.append(digits.charAt(0));
        if (digits.length() > 1) {
            out.append('.').append(digits, 1, digits.length());
        }
        out.append('e').append(exponent < 0 ? '-' : '+');
        int abs = Math.abs(exponent);
        if (abs < 10) {
            out.append('0');
        }
        out.append(abs);
    }
}
