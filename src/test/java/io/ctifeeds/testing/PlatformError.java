package io.ctifeeds.testing;

import java.util.LinkedHashMap;
import java.util.Map;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;

/**
 * An error as the platform raises it ({@code opencti-graphql/src/config/errors.js} in 6.9.17): a GraphQL error whose
 * {@code extensions} are {@code {code, data: {http_status, genre, ...}}}. The platform's {@code formatError} also
 * copies the code into a top-level {@code name}, which pycti reads; {@link FakeOpenCti} adds it to every error.
 */
final class PlatformError extends RuntimeException {

    private final String code;
    private final Map<String, Object> data;

    PlatformError(String code, String message, Map<String, Object> data) {
        super(message, null, false, false);
        this.code = code;
        this.data = data;
    }

    /** What a field guarded by {@code @auth} answers when the request carries no valid token. */
    static PlatformError authRequired() {
        return new PlatformError("AUTH_REQUIRED", "You must be logged in to do this.", data(401, "TECHNICAL", Map.of()));
    }

    static PlatformError functional(String message, Map<String, Object> extra) {
        return new PlatformError("FUNCTIONAL_ERROR", message, data(400, "BUSINESS", extra));
    }

    static PlatformError unsupported(String message, Map<String, Object> extra) {
        return new PlatformError("UNSUPPORTED_ERROR", message, data(500, "BUSINESS", extra));
    }

    /** A JavaScript exception that is not a platform error; Apollo reports it with this code. */
    static PlatformError internal(String message) {
        return new PlatformError("INTERNAL_SERVER_ERROR", message, null);
    }

    /** {@link FakeOpenCti#errorNext}: any code the test wants, UNKNOWN_ERROR by default. */
    static PlatformError injected(String code, String message) {
        return new PlatformError(code, message, data(500, "TECHNICAL", Map.of()));
    }

    private static Map<String, Object> data(int httpStatus, String genre, Map<String, Object> extra) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("http_status", httpStatus);
        d.put("genre", genre);
        d.putAll(extra);
        return d;
    }

    String code() {
        return code;
    }

    GraphQLError toGraphQLError(DataFetchingEnvironment env) {
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("code", code);
        if (data != null) {
            extensions.put("data", data);
        }
        return GraphqlErrorBuilder.newError(env).message(getMessage()).extensions(extensions).build();
    }
}
