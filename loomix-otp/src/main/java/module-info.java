/**
 * Loomix's OTP behaviours: {@link io.loomix.otp.GenServer}, {@link io.loomix.otp.Supervisor},
 * Agent, Task, Registry. Built on the core's API only: it does not read the runtime's internals.
 *
 * <p>{@code io.loomix.otp.bench} is not exported: only loomix-bench uses it, on the class path.
 */
module io.loomix.otp {
    requires transitive io.loomix.core; // Pid, Ref, ExitReason appear in this module's API
    exports io.loomix.otp;
}
