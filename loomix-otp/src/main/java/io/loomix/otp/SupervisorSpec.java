package io.loomix.otp;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A supervisor as a value: its strategy, its restart intensity and its children in start order.
 *
 * {@snippet :
 * SupervisorSpec spec = SupervisorSpec.of(Strategy.REST_FOR_ONE, List.of(db, cache, web))
 *         .withIntensity(10, Duration.ofSeconds(10));
 * Pid sup = Supervisor.startLink(spec);
 * }
 *
 * @param maxRestarts more restarts than this within {@code period} and the supervisor shuts its
 *                    children down and exits with {@code shutdown} (default 3 in 5 s, as OTP)
 */
public record SupervisorSpec(Strategy strategy, int maxRestarts, Duration period, List<ChildSpec> children,
                             AutoShutdown autoShutdown) {

    /**
     * When a supervisor shuts itself down because its significant children exited by themselves
     * (not when it terminated them), OTP's {@code auto_shutdown}.
     */
    public enum AutoShutdown {
        /** Never (the default). */
        NEVER,
        /** When any significant child exits by itself. */
        ANY_SIGNIFICANT,
        /** When all significant children have exited by themselves. */
        ALL_SIGNIFICANT
    }

    public SupervisorSpec(Strategy strategy, int maxRestarts, Duration period, List<ChildSpec> children) {
        this(strategy, maxRestarts, period, children, AutoShutdown.NEVER);
    }

    public SupervisorSpec {
        Objects.requireNonNull(autoShutdown, "autoShutdown must not be null: use AutoShutdown.NEVER");
        Objects.requireNonNull(strategy, "strategy must not be null");
        Objects.requireNonNull(period, "period must not be null");
        if (maxRestarts < 0 || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("restart intensity needs maxRestarts >= 0 and a positive period, got "
                    + maxRestarts + " in " + period);
        }
        children = List.copyOf(children);
        for (int i = 0; i < children.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (children.get(i).id().equals(children.get(j).id())) {
                    throw new IllegalArgumentException("two children have the id " + children.get(i).id()
                            + "; child ids must be unique within a supervisor");
                }
            }
        }
    }

    public static SupervisorSpec of(Strategy strategy, List<ChildSpec> children) {
        return new SupervisorSpec(strategy, 3, Duration.ofSeconds(5), children);
    }

    public SupervisorSpec withIntensity(int maxRestarts, Duration period) {
        return new SupervisorSpec(strategy, maxRestarts, period, children, autoShutdown);
    }

    public SupervisorSpec withAutoShutdown(AutoShutdown auto) {
        return new SupervisorSpec(strategy, maxRestarts, period, children, auto);
    }
}
