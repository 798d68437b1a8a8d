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
public record SupervisorSpec(Strategy strategy, int maxRestarts, Duration period, List<ChildSpec> children) {

    public SupervisorSpec {
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
        return new SupervisorSpec(strategy, maxRestarts, period, children);
    }
}
