package io.ctifeeds.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import graphql.schema.DataFetcher;
import graphql.schema.GraphQLInterfaceType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import graphql.schema.GraphQLUnionType;
import graphql.schema.TypeResolver;
import graphql.schema.idl.FastSchemaGenerator;
import graphql.schema.idl.FieldWiringEnvironment;
import graphql.schema.idl.InterfaceWiringEnvironment;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.ScalarInfo;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import graphql.schema.idl.UnionWiringEnvironment;
import graphql.schema.idl.WiringFactory;
import graphql.schema.validation.SchemaValidationError;
import graphql.schema.validation.SchemaValidator;

/**
 * The real OpenCTI 6.9.17 or 7.260817.0 schema ({@code src/test/resources/opencti/opencti-*.graphql}), made executable
 * with a generic wiring: every field goes through {@link PlatformFetcher}, every custom scalar through
 * {@link OpenCtiScalars}, and an interface or union resolves to a {@code __typename} key of the source map, else
 * to its first possible type.
 *
 * <p>Built once per JVM: reading and building the 591 KB SDL costs 1 to 3 s, and the schema holds no state (the
 * per-server state reaches the fetchers through the GraphQL context).
 */
final class OpenCtiSchema {

    /**
     * graphql-java up to 26.0 wrongly reports {@code input FilterGroup { filterGroups: [FilterGroup!]! }} as an
     * unbroken input cycle (graphql-java issue #4214, fixed after 26.0); the spec, graphql-js and the platform accept
     * it because an empty list ends the recursion. This is the only schema error allowed through.
     */
    private static final String KNOWN_FALSE_CYCLE = "[filters!.filterGroups!] forms an unsatisfiable cycle";

    /** One schema per file, each built once per JVM. */
    private static final java.util.concurrent.ConcurrentHashMap<Path, Loaded> LOADED =
            new java.util.concurrent.ConcurrentHashMap<>();

    private OpenCtiSchema() {
    }

    /** The executable schema and how long each step took. */
    record Loaded(GraphQLSchema schema, long parseMillis, long buildMillis) {
    }

    static Path file() {
        return file(FakeOpenCti.DEFAULT_VERSION);
    }

    /** The schema file of a platform version: 7.x gets the 7.260817.0 schema, anything older the 6.9.17 one. */
    static Path file(String platformVersion) {
        String name = platformVersion.startsWith("7.") ? "opencti-7.260817.0.graphql" : "opencti-6.9.17.graphql";
        return Path.of("src", "test", "resources", "opencti", name);
    }

    static Loaded get() {
        return get(FakeOpenCti.DEFAULT_VERSION);
    }

    /** The schema of the platform version a fake reports in {@code about}. */
    static Loaded get(String platformVersion) {
        return LOADED.computeIfAbsent(file(platformVersion), OpenCtiSchema::load);
    }

    private static Loaded load(Path file) {
        long t0 = System.nanoTime();
        String sdl;
        try {
            sdl = Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenCTI schema " + file.toAbsolutePath(), e);
        }
        // The printed SDL declares its own directives (@auth, @public, @constraint, @rateLimit, ...), so nothing
        // has to be declared or stripped before parsing.
        TypeDefinitionRegistry registry = new SchemaParser().parse(sdl);
        long t1 = System.nanoTime();
        RuntimeWiring.Builder wiring = RuntimeWiring.newRuntimeWiring().wiringFactory(new GenericWiring());
        registry.scalars().keySet().stream()
                .filter(name -> !ScalarInfo.isGraphqlSpecifiedScalar(name))
                .forEach(name -> wiring.scalar(OpenCtiScalars.forName(name)));
        // FastSchemaGenerator is the only public way past graphql-java's false input-cycle report (see
        // KNOWN_FALSE_CYCLE); without its validation the build is also faster. unexpectedSchemaProblems() runs the
        // full validation for the test that guards the schema file.
        GraphQLSchema schema = new FastSchemaGenerator().makeExecutableSchema(
                SchemaGenerator.Options.defaultOptions().withValidation(false), registry, wiring.build());
        long t2 = System.nanoTime();
        return new Loaded(schema, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    }

    /** graphql-java's full schema validation, less its known false report; empty for a sound schema file. */
    static List<String> unexpectedSchemaProblems() {
        Set<SchemaValidationError> errors = new SchemaValidator().validateSchema(get().schema());
        return errors.stream().map(SchemaValidationError::getDescription)
                .filter(d -> !d.equals(KNOWN_FALSE_CYCLE)).collect(Collectors.toList());
    }

    /** One data fetcher for every field, and a type resolver for every interface and union. */
    private static final class GenericWiring implements WiringFactory {
        private static final TypeResolver FIRST_POSSIBLE_TYPE = env -> {
            Object source = env.getObject();
            if (source instanceof java.util.Map<?, ?> map && map.get("__typename") instanceof String name) {
                return env.getSchema().getObjectType(name);
            }
            GraphQLNamedType type = (GraphQLNamedType) GraphQLTypeUtil.unwrapAll(env.getFieldType());
            if (type instanceof GraphQLUnionType union) {
                return (GraphQLObjectType) union.getTypes().get(0);
            }
            List<GraphQLObjectType> implementations = env.getSchema().getImplementations((GraphQLInterfaceType) type);
            return implementations.get(0);
        };

        @Override
        public boolean providesTypeResolver(InterfaceWiringEnvironment environment) {
            return true;
        }

        @Override
        public TypeResolver getTypeResolver(InterfaceWiringEnvironment environment) {
            return FIRST_POSSIBLE_TYPE;
        }

        @Override
        public boolean providesTypeResolver(UnionWiringEnvironment environment) {
            return true;
        }

        @Override
        public TypeResolver getTypeResolver(UnionWiringEnvironment environment) {
            return FIRST_POSSIBLE_TYPE;
        }

        @Override
        public DataFetcher<?> getDefaultDataFetcher(FieldWiringEnvironment environment) {
            return PlatformFetcher.INSTANCE;
        }
    }
}
