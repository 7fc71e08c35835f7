package io.ctifeeds.testing;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.EnumValue;
import graphql.language.FloatValue;
import graphql.language.IntValue;
import graphql.language.ObjectValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

/**
 * The platform's custom scalars. {@code DateTime} behaves like graphql-scalars 1.25 {@code GraphQLDateTime}, which
 * the platform uses: input must be an RFC 3339 date-time with a {@code T}, seconds and an offset (so
 * {@code "2024-01-01 00:00:00"} is refused, as the platform refuses it), and output is JavaScript's
 * {@code toISOString()} form, UTC with milliseconds. The others pass values through: the connector operations do
 * not use them.
 */
final class OpenCtiScalars {

    private static final Pattern DATE = Pattern.compile("^\\d{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])$");
    private static final Pattern TIME =
            Pattern.compile("^([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9])(\\.\\d+)?(Z|[+|-]([01][0-9]|2[0-3]):[0-5][0-9])$");
    private static final DateTimeFormatter JS_ISO = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private OpenCtiScalars() {
    }

    static GraphQLScalarType forName(String name) {
        Coercing<?, ?> coercing = switch (name) {
            case "DateTime" -> new DateTimeCoercing();
            case "Any" -> new PassThrough() {
                @Override
                public Object serialize(Object value, GraphQLContext context, Locale locale) {
                    throw new CoercingSerializeException("Any serialization unsupported.");
                }
            };
            default -> new PassThrough();
        };
        return GraphQLScalarType.newScalar().name(name).coercing(coercing).build();
    }

    /** JavaScript's {@code Date.prototype.toISOString()}, which is how the platform prints every DateTime. */
    static String toIsoString(Instant instant) {
        return JS_ISO.format(instant);
    }

    /** graphql-scalars' {@code validateDateTime}, then the parse. */
    static Instant parseDateTime(String text) {
        int t = text.indexOf('T');
        if (t < 0 || !DATE.matcher(text.substring(0, t)).matches() || !TIME.matcher(text.substring(t + 1)).matches()
                || !dayExists(text)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.replace('|', '+')).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean dayExists(String text) {
        int year = Integer.parseInt(text.substring(0, 4));
        int month = Integer.parseInt(text.substring(5, 7));
        int day = Integer.parseInt(text.substring(8, 10));
        return day <= java.time.YearMonth.of(year, month).lengthOfMonth();
    }

    private static final class DateTimeCoercing implements Coercing<Instant, String> {
        @Override
        public String serialize(Object value, GraphQLContext context, Locale locale) {
            if (value instanceof Instant instant) {
                return toIsoString(instant);
            }
            if (value instanceof String s) {
                Instant parsed = parseDateTime(s);
                if (parsed == null) {
                    throw new CoercingSerializeException("DateTime cannot represent an invalid date-time-string " + s + ".");
                }
                return toIsoString(parsed);
            }
            throw new CoercingSerializeException("DateTime cannot be serialized from " + value);
        }

        @Override
        public Instant parseValue(Object value, GraphQLContext context, Locale locale) {
            if (value instanceof String s) {
                Instant parsed = parseDateTime(s);
                if (parsed != null) {
                    return parsed;
                }
                throw new CoercingParseValueException("DateTime cannot represent an invalid date-time-string " + s + ".");
            }
            throw new CoercingParseValueException("DateTime cannot represent non string or Date type " + value);
        }

        @Override
        public Instant parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
            if (input instanceof StringValue s) {
                Instant parsed = parseDateTime(s.getValue());
                if (parsed != null) {
                    return parsed;
                }
                throw new CoercingParseLiteralException(
                        "DateTime cannot represent an invalid date-time-string " + s.getValue() + ".");
            }
            throw new CoercingParseLiteralException("DateTime cannot represent non string or Date type " + input);
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return StringValue.of(String.valueOf(input));
        }
    }

    private static class PassThrough implements Coercing<Object, Object> {
        @Override
        public Object serialize(Object value, GraphQLContext context, Locale locale) {
            return value;
        }

        @Override
        public Object parseValue(Object value, GraphQLContext context, Locale locale) {
            return value;
        }

        @Override
        public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context, Locale locale) {
            return literal(input, variables.toMap());
        }

        @Override
        public Value<?> valueToLiteral(Object input, GraphQLContext context, Locale locale) {
            return StringValue.of(String.valueOf(input));
        }
    }

    /** A literal as the platform's {@code parseAst} reads it. */
    static Object literal(Value<?> value, Map<String, Object> variables) {
        if (value instanceof StringValue v) {
            return v.getValue();
        }
        if (value instanceof BooleanValue v) {
            return v.isValue();
        }
        if (value instanceof IntValue v) {
            return v.getValue().longValueExact();
        }
        if (value instanceof FloatValue v) {
            return v.getValue().doubleValue();
        }
        if (value instanceof EnumValue v) {
            return v.getName();
        }
        if (value instanceof VariableReference v) {
            return variables.get(v.getName());
        }
        if (value instanceof ArrayValue v) {
            return v.getValues().stream().map(x -> literal(x, variables)).collect(Collectors.toList());
        }
        if (value instanceof ObjectValue v) {
            Map<String, Object> map = new LinkedHashMap<>();
            v.getObjectFields().forEach(f -> map.put(f.getName(), literal(f.getValue(), variables)));
            return map;
        }
        return null;
    }
}
