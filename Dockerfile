# flowinspect's image: every command of the launcher, for the capture agent, the inspector and the
# topics job (docker-compose.yml, k8s/). Build: docker build -t flowinspect:0.1.0-SNAPSHOT .

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The poms first, so that the dependency download is a layer of its own and survives source edits
# (only a cache warm-up, hence `|| true`: the build below fails loudly on anything missing).
COPY pom.xml ./
COPY schemas/pom.xml schemas/
COPY embedded-kafka/pom.xml embedded-kafka/
COPY capture-agent/pom.xml capture-agent/
COPY inspector-streams/pom.xml inspector-streams/
COPY cli/pom.xml cli/
COPY benchmarks/pom.xml benchmarks/
RUN mvn -B -q -ntp -pl cli -am dependency:go-offline || true
COPY . .
RUN scripts/dist /opt/flowinspect

FROM eclipse-temurin:17-jre
# libpcap: the capture agent reads interfaces and files through it (pcap4j binds it with JNA).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpcap0.8 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /var/lib/flowinspect --create-home flowinspect
COPY --from=build /opt/flowinspect /opt/flowinspect
ENV PATH=/opt/flowinspect/bin:$PATH \
    FLOWINSPECT_JAVA_OPTS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"
# The inspector's RocksDB state lives here: mount a volume so that a restart does not restore
# every connection from the changelog.
VOLUME /var/lib/flowinspect
WORKDIR /var/lib/flowinspect
# Not root: live capture needs CAP_NET_RAW, so its container runs as root with only that added
# (docker-compose.yml's capture service, k8s/capture-agent.yaml).
USER 10001
ENTRYPOINT ["flowinspect"]
CMD ["--help"]
