/** Loomix's OTP behaviours: GenServer, Supervisor, Agent, Task, Registry and their shared layer. */
module io.loomix.otp {
    requires transitive io.loomix.core;
    exports io.loomix.otp;
}
