# Herald's image: built from source in a Maven stage, run on a JRE with the prod profile.
#   docker build -t herald .      (docker-compose.yml builds it for the production stack)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /build
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src/ src/
COPY routes/ routes/
COPY application*.properties ./
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17-jre
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home-dir /opt/herald herald
WORKDIR /opt/herald
COPY --from=build /build/target/lib/ lib/
COPY --from=build /build/target/herald.jar herald.jar
USER herald
ENV CAMEL_MAIN_PROFILE=prod
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://localhost:8080/observe/health/ready || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "herald.jar"]
