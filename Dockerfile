# Build stage: compile and lay out target/cti-feeds.jar + target/lib/*.jar
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
# dependencies in their own layer, reused while pom.xml is unchanged
RUN mvn -B -q dependency:resolve dependency:resolve-plugins
COPY src ./src
COPY application.properties ./
RUN mvn -B -q package -DskipTests

# Runtime stage: a JRE, the thin jar and its libraries, the editable routes and configuration
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /build/target/lib/ ./lib/
COPY --from=build /build/target/cti-feeds.jar ./cti-feeds.jar
# routes/ and application.properties are read from the working directory: mount over them to change a
# pipeline or the defaults without rebuilding; every setting can also be given as an environment variable
COPY routes/ ./routes/
COPY application.properties ./
RUN useradd --system --uid 1001 --home-dir /app cti && mkdir -p /app/data && chown -R cti /app/data
USER 1001
# state, downloads and (without OpenCTI) the bundles
VOLUME ["/app/data"]
# ParallelGC: a feed run is a batch; it measured 12-15% faster than G1 end to end at a 256 MB heap
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseParallelGC", "-jar", "/app/cti-feeds.jar"]
