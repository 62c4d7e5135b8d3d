package io.livestore.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One WildFly server that a test starts and stops itself (Arquillian's managed container cannot stop one
 * of two servers mid-test): the unpacked distribution with a base directory of its own (configuration,
 * deployments, data, log), its ports moved by an offset, bound to 127.0.0.1 only, one WAR in its
 * deployment scanner's directory.
 */
final class WildFlyNode implements AutoCloseable {

    private final String name;
    private final Path baseDir;
    private final int portOffset;
    private Process process;

    private WildFlyNode(String name, Path baseDir, int portOffset) {
        this.name = name;
        this.baseDir = baseDir;
        this.portOffset = portOffset;
    }

    /**
     * Prepares and starts {@code name} under {@code root}: its base directory a copy of the distribution's
     * {@code standalone/configuration}, {@code war} deployed by the scanner, {@code properties} as system
     * properties of the server.
     */
    static WildFlyNode start(String name, Path root, int portOffset, Path war, Map<String, String> properties) throws IOException {
        Path jbossHome = Path.of(System.getProperty("jboss.home"));
        Path base = root.resolve(name);
        copyTree(jbossHome.resolve("standalone/configuration"), base.resolve("configuration"));
        Files.createDirectories(base.resolve("deployments"));
        Files.copy(war, base.resolve("deployments").resolve(war.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        WildFlyNode node = new WildFlyNode(name, base, portOffset);
        List<String> command = new ArrayList<>(List.of(jbossHome.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base, "-b", "127.0.0.1", "-bmanagement", "127.0.0.1",
                "-Djboss.socket.binding.port-offset=" + portOffset, "-Djava.io.tmpdir=" + Files.createDirectories(base.resolve("tmp"))));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(base.resolve("console.log").toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_OPTS", "-Xmx384m -Djava.net.preferIPv4Stack=true");
        pb.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1"); // standalone.sh passes SIGTERM on to the server
        node.process = pb.start();
        return node;
    }

    String name() {
        return name;
    }

    /** The deployed WAR's root, {@code contextRoot} being its name without {@code .war}. */
    URL url(String contextRoot) throws IOException {
        return new URL("http://127.0.0.1:" + (8080 + portOffset) + "/" + contextRoot + "/");
    }

    /** The server's JVM (a child of standalone.sh). */
    long serverPid() {
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException(name + " has no java process")).pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The end of the server's console output, for failure messages. */
    String consoleTail() {
        try {
            List<String> lines = Files.readAllLines(baseDir.resolve("console.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no console: " + e + ")";
        }
    }

    /** Stops the server as an operator would (SIGTERM: a graceful shutdown, the application undeployed). */
    void stop() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    static Duration startupPatience() {
        return Duration.ofSeconds(150);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
