package io.ctifeeds.testing;

import java.util.Map;

import graphql.execution.DataFetcherResult;
import graphql.schema.DataFetcher;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;

/**
 * The one data fetcher of every field. In order: the {@code @auth} check the platform's auth directive makes
 * (a field or its type marked {@code @auth} needs a logged-in user), then an error injected by the test (root
 * fields only), then the platform's resolver for {@code Type.field} if {@link FakePlatform} has one, else the
 * value under the field's name in the parent map, as graphql-js' default resolver reads a property.
 */
final class PlatformFetcher implements DataFetcher<Object> {

    static final PlatformFetcher INSTANCE = new PlatformFetcher();

    private PlatformFetcher() {
    }

    @Override
    public Object get(DataFetchingEnvironment env) {
        RequestScope request = env.getGraphQlContext().get(RequestScope.class);
        GraphQLFieldDefinition field = env.getFieldDefinition();
        GraphQLObjectType parent = (GraphQLObjectType) env.getParentType();
        try {
            if (!request.authenticated() && (field.hasAppliedDirective("auth") || parent.hasAppliedDirective("auth"))) {
                throw PlatformError.authRequired();
            }
            if (isRoot(env.getGraphQLSchema(), parent)) {
                PlatformError injected = request.takeInjected();
                if (injected != null) {
                    throw injected;
                }
            }
            FakePlatform.Resolver resolver = request.platform().resolver(parent.getName(), field.getName());
            if (resolver != null) {
                return resolver.resolve(env);
            }
            return env.getSource() instanceof Map<?, ?> map ? map.get(field.getName()) : null;
        } catch (PlatformError e) {
            return DataFetcherResult.newResult().error(e.toGraphQLError(env)).build();
        }
    }

    private static boolean isRoot(GraphQLSchema schema, GraphQLObjectType type) {
        return type == schema.getQueryType() || type == schema.getMutationType();
    }
}
