# The remote-function host (function-host/), serving every RecordFunction on its class path over the protocol in
# udfs/REMOTE_PROTOCOL.md. Build from the repository root after `./mvnw -DskipTests package`:
#   docker build -f deploy/function-host.Dockerfile -t registry.example.com/midstream-functions:0.1.0 .
# Add your own functions' jars to /opt/functions/lib/.
FROM eclipse-temurin:17-jre

RUN useradd --system --uid 10001 --home-dir /opt/functions functions
WORKDIR /opt/functions
COPY --chown=10001:10001 function-host/target/midstream-function-host-0.1.0-SNAPSHOT-host.jar /opt/functions/host.jar
COPY --chown=10001:10001 udfs/examples/target/midstream-udf-examples-0.1.0-SNAPSHOT.jar /opt/functions/lib/midstream-udf-examples.jar

USER 10001
ENV PORT=8080
EXPOSE 8080
# SIGTERM (Knative scaling down) stops taking requests and finishes the batches in flight.
ENTRYPOINT ["java", "-cp", "/opt/functions/host.jar:/opt/functions/lib/*", "dev.midstream.host.FunctionHost"]
