# Build: mvn -B package -DskipTests && docker build -t herald .
FROM eclipse-temurin:17-jre
WORKDIR /opt/herald
COPY target/lib/ lib/
COPY target/herald.jar herald.jar
ENV CAMEL_MAIN_PROFILE=prod
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD wget -qO- http://localhost:8080/observe/health/ready || exit 1
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "herald.jar"]
