package io.livestore.it;

import jakarta.enterprise.concurrent.ManageableThread;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/** What the test can tell about the thread it runs on: whether the server manages it and gave it the application's context. */
final class ThreadProbe {

    private ThreadProbe() {
    }

    /** The current thread's name, whether it is a managed thread, and whether java:comp resolves on it. */
    static Map<String, Object> describeCurrentThread() {
        Thread t = Thread.currentThread();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.getName());
        m.put("manageable", t instanceof ManageableThread);
        m.put("applicationClassLoader", t.getContextClassLoader() == ThreadProbe.class.getClassLoader());
        try {
            m.put("javaComp", new InitialContext().lookup("java:comp/DefaultManagedThreadFactory") != null);
        } catch (NamingException | RuntimeException e) {
            m.put("javaComp", false);
            m.put("javaCompFailure", e.toString());
        }
        return m;
    }
}
