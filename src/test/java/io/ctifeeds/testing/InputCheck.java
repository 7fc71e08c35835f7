package io.ctifeeds.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import graphql.GraphQLError;
import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.VariableReference;
import graphql.schema.GraphQLAppliedDirective;
import graphql.schema.GraphQLAppliedDirectiveArgument;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLInputType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;

/**
 * The checks the platform makes on input values after validation and before any resolver runs, so a request they
 * reject changes nothing: variable coercion (an unknown input field, a wrong type, a {@code DateTime} that is not
 * RFC 3339) and the {@code @constraint} directives of graphql-constraint-directive 6 (e.g. {@code
 * RegisterConnectorInput.name @constraint(minLength: 2, format: "not-blank")}). Apollo answers both with code
 * {@code BAD_USER_INPUT}; the messages of the constraint checks are the library's.
 */
final class InputCheck {

    private InputCheck() {
    }

    /** One rejected value. */
    record Problem(String message, String field) {
    }

    static List<Problem> check(GraphQLSchema schema, Document document, String operationName, Map<String, Object> variables) {
        List<Problem> problems = new ArrayList<>();
        try {
            QueryTraverser.newQueryTraverser().schema(schema).document(document).operationName(operationName)
                    .variables(variables).build().visitPreOrder(new QueryVisitorStub() {
                        @Override
                        public void visitField(QueryVisitorFieldEnvironment env) {
                            checkArguments(env, problems);
                        }
                    });
        } catch (RuntimeException e) {
            // graphql-java reports coercion failures as exceptions that are GraphQL errors
            if (!(e instanceof GraphQLError)) {
                throw e;
            }
            problems.add(new Problem(e.getMessage(), null));
        }
        return problems;
    }

    private static void checkArguments(QueryVisitorFieldEnvironment env, List<Problem> problems) {
        if (env.isTypeNameIntrospectionField()) {
            return;
        }
        Map<String, Object> values = env.getArguments();
        for (Argument argument : env.getField().getArguments()) {
            GraphQLArgument definition = env.getFieldDefinition().getArgument(argument.getName());
            if (definition == null) {
                continue;
            }
            String variable = argument.getValue() instanceof VariableReference v ? v.getName() : null;
            String prefix = variable != null
                    ? "Variable \"$" + variable + "\""
                    : "Argument \"" + argument.getName() + "\" of \"" + env.getField().getName() + "\"";
            walk(definition.getType(), values.get(argument.getName()), variable, prefix, problems);
        }
    }

    private static void walk(GraphQLInputType type, Object value, String path, String prefix, List<Problem> problems) {
        GraphQLInputType t = (GraphQLInputType) GraphQLTypeUtil.unwrapNonNull(type);
        if (value == null) {
            return;
        }
        if (t instanceof GraphQLList list && value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                walk((GraphQLInputType) list.getWrappedType(), items.get(i), (path == null ? "" : path) + "[" + i + "]",
                        prefix, problems);
            }
        } else if (t instanceof GraphQLInputObjectType object && value instanceof Map<?, ?> map) {
            for (GraphQLInputObjectField field : object.getFieldDefinitions()) {
                Object fieldValue = map.get(field.getName());
                String fieldPath = path == null ? field.getName() : path + "." + field.getName();
                GraphQLAppliedDirective constraint = field.getAppliedDirective("constraint");
                if (constraint != null && fieldValue != null && !(fieldValue instanceof Map) && !(fieldValue instanceof List)) {
                    String failure = violation(constraint, fieldValue);
                    if (failure != null) {
                        String shown = fieldValue instanceof String ? "\"" + fieldValue + "\"" : String.valueOf(fieldValue);
                        problems.add(new Problem(prefix + " got invalid value " + shown + " at \"" + fieldPath + "\". "
                                + failure, fieldPath));
                    }
                }
                walk(field.getType(), fieldValue, fieldPath, prefix, problems);
            }
        }
    }

    /** The subset of graphql-constraint-directive the 6.9.17 schema uses: lengths, bounds and two formats. */
    private static String violation(GraphQLAppliedDirective constraint, Object value) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (GraphQLAppliedDirectiveArgument a : constraint.getArguments()) {
            if (a.hasSetValue()) {
                args.put(a.getName(), a.getValue());
            }
        }
        if (value instanceof String s) {
            Integer min = (Integer) args.get("minLength");
            Integer max = (Integer) args.get("maxLength");
            if (min != null && s.codePointCount(0, s.length()) < min) {
                return "Must be at least " + min + " characters in length";
            }
            if (max != null && s.codePointCount(0, s.length()) > max) {
                return "Must be no more than " + max + " characters in length";
            }
            Object format = args.get("format");
            if ("not-blank".equals(format) && !s.isEmpty() && s.isBlank()) {
                // graphql/graphql.js registers this format; its message is the thrown GraphQLError's
                return "Value cannot have only whitespace(s)";
            }
            if ("email".equals(format) && !s.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                return "Must be in email format";
            }
        } else if (value instanceof Number n) {
            Integer min = (Integer) args.get("min");
            Integer max = (Integer) args.get("max");
            if (min != null && n.doubleValue() < min) {
                return "Must be at least " + min;
            }
            if (max != null && n.doubleValue() > max) {
                return "Must be no greater than " + max;
            }
        }
        return null;
    }
}
