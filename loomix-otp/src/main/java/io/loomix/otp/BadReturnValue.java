package io.loomix.otp;

/**
 * A callback returned something its contract does not allow (in Java: null): Erlang's
 * {@code {bad_return_value, Value}}, the reason the server stops with after running terminate
 * (or, from init, the reason its start fails with). Printed as OTP prints it; {@code callback}
 * says which callback returned it, for the crash report.
 *
 * @param callback the callback that returned it, e.g. {@code handleCall}
 * @param value    what it returned
 */
public record BadReturnValue(String callback, Object value) {
    @Override
    public String toString() {
        return "{bad_return_value," + value + "}";
    }
}
