package io.loomix.otp;

import io.loomix.Ref;

/**
 * A request sent with {@link GenServer#sendRequest}, OTP's {@code request_id()}: it tags the
 * response, which comes as a message to an alias the caller removes once it has the response
 * (or gives up with {@link GenServer#receiveResponse}). Only the process that sent the request can
 * take its response.
 *
 * @param server  the server as it was named
 * @param monitor the caller's monitor on the server, which also tags a failure
 * @param alias   where the reply goes
 */
public record RequestId(Object server, Ref monitor, Ref alias) {}
