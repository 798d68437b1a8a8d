package io.loomix.dist.testing;

import io.loomix.dist.Node;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An epmd of the test's own on a free port before each test, and after it the node the test
 * started stopped and that epmd ended: the set-up every test with real nodes shares, so that no
 * test meets another's registrations or leaves a node up.
 *
 * <pre>{@code
 * @RegisterExtension
 * final PrivateEpmd epmd = new PrivateEpmd();
 * ... Node.start("a", "cookie", NodeOptions.DEFAULT.withEpmdPort(epmd.port()));
 * }</pre>
 */
public final class PrivateEpmd implements BeforeEachCallback, AfterEachCallback {
    private Child epmd;
    private int port;

    /** The port this test's epmd listens on. */
    public int port() {
        return port;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        port = Child.freePort();
        epmd = Child.epmd(port);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            Node.stop();
        } finally {
            if (epmd != null) {
                epmd.close();
            }
        }
    }
}
