package io.livestore.cdi.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.livestore.registry.RegistryOptions;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DefaultDataDirectoryTest {

    @Test
    void onWildFlyInsideTheServersDataDirectory() {
        Properties p = new Properties();
        p.setProperty("jboss.server.data.dir", "/opt/wildfly/standalone/data");
        assertEquals(Path.of("/opt/wildfly/standalone/data/livestore"), DefaultDataDirectory.of(p));
    }

    @Test
    void onPayaraInsideTheInstanceDirectory() {
        Properties p = new Properties();
        p.setProperty("com.sun.aas.instanceRoot", "/opt/payara/glassfish/domains/domain1");
        assertEquals(Path.of("/opt/payara/glassfish/domains/domain1/data/livestore"), DefaultDataDirectory.of(p));
    }

    @Test
    void onPayaraMicroWithRootdirInsideTheRootDirectory() {
        Properties p = new Properties();
        p.setProperty("com.sun.aas.instanceRoot", "/srv/payara-root");
        assertEquals(Path.of("/srv/payara-root/data/livestore"), DefaultDataDirectory.of(p));
    }

    @Test
    void notInPayaraMicrosTemporaryDirectoryWhichItDeletesWhenItStops() {
        Properties p = new Properties();
        p.setProperty("com.sun.aas.instanceRoot", "/tmp/payaramicro-rt4565548123240993061tmp");
        assertEquals(RegistryOptions.DEFAULT_DATA_DIR.toAbsolutePath(), DefaultDataDirectory.of(p));
    }

    @Test
    void elsewhereInTheWorkingDirectoryAbsolute() {
        Path dir = DefaultDataDirectory.of(new Properties());
        assertEquals(RegistryOptions.DEFAULT_DATA_DIR.toAbsolutePath(), dir);
        assertEquals(true, dir.isAbsolute());
    }
}
