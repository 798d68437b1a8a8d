package io.loomix.shell;

import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * JShell's local execution engine, with each snippet run in the shell process instead of on a
 * new platform thread. JShell's own stop checks (inserted before every backward branch of snippet
 * code) still work: {@link #stop} raises them first, and kills the shell process only if the
 * snippet does not stop within {@link #GRACE_MS} (it waits in a receive, or runs library code).
 */
final class ShellControl extends LocalExecutionControl {
    static final long GRACE_MS = 300;
    private static final String CANCEL_CLASS = "REPL.$Cancel$";

    private final Evaluator evaluator;
    private boolean cancelLoaded;

    ShellControl(ClassLoader parent, Evaluator evaluator) {
        super(parent);
        this.evaluator = evaluator;
    }

    /** Hands JShell our engine. */
    record Provider(ClassLoader parent, Evaluator evaluator) implements ExecutionControlProvider {
        @Override
        public String name() {
            return "loomix";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return new ShellControl(parent, evaluator);
        }
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        resetStop();
        if (evaluator.interrupt) {
            evaluator.stopped = true; // Ctrl-C came while the snippet was being compiled
            throw new StoppedException();
        }
        try {
            return valueString(evaluator.run(doitMethod));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof ThreadDeath) {
                evaluator.stopped = true;
                throw new StoppedException();
            }
            throw e;
        } catch (Evaluator.Died died) {
            if (died.reason == io.loomix.ExitReason.KILLED && evaluator.interrupt) {
                evaluator.stopped = true;
                throw new StoppedException();
            }
            throw new InvocationTargetException(died);
        }
    }

    /**
     * JShell's local engine makes its stop-check class in its first invoke; ours runs snippets
     * elsewhere, so it lets that first invoke run a harmless method, then clears the stop flag
     * before each snippet.
     */
    private void resetStop() throws Exception {
        if (!cancelLoaded) {
            super.invoke(System.class.getMethod("lineSeparator"));
            cancelLoaded = true;
        }
        findClass(CANCEL_CLASS).getDeclaredField("allStop").set(null, false);
    }

    /**
     * Ctrl-C ({@link Evaluator#interrupt} is set): raises JShell's stop flag, then kills the shell
     * process if the snippet is still running after {@link #GRACE_MS}.
     */
    @Override
    public void stop() throws EngineTerminationException, InternalException {
        super.stop();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(GRACE_MS);
            } catch (InterruptedException e) {
                return;
            }
            if (evaluator.interrupt && evaluator.busy()) {
                evaluator.kill();
            }
        });
    }
}
