package io.loomix.otp;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A collection of {@link RequestId}s, each with a label, OTP's {@code request_id_collection()}:
 * wait for whichever response comes first with {@link GenServer#waitResponse(RequestIds, java.time.Duration, boolean)}.
 * Immutable: adding or taking out a request makes a new collection.
 *
 * {@snippet :
 * RequestIds<String> pending = RequestIds.<String>empty()
 *         .add(GenServer.sendRequest(a, new Get()), "a")
 *         .add(GenServer.sendRequest(b, new Get()), "b");
 * while (GenServer.receiveResponse(pending, Duration.ofSeconds(1), true) instanceof RequestIds.Got<String> got) {
 *     log(got.label() + ": " + got.response());
 *     pending = got.rest();
 * }
 * }
 *
 * @param <L> the labels
 */
public final class RequestIds<L> {
    private final Map<RequestId, L> requests;

    private RequestIds(Map<RequestId, L> requests) {
        this.requests = requests;
    }

    /** OTP's {@code reqids_new()}. */
    public static <L> RequestIds<L> empty() {
        return new RequestIds<>(Map.of());
    }

    /** OTP's {@code reqids_add(ReqId, Label, Collection)}. */
    public RequestIds<L> add(RequestId id, L label) {
        Objects.requireNonNull(id, "add: request id must not be null");
        if (requests.containsKey(id)) {
            throw new IllegalArgumentException("request " + id + " is already in the collection");
        }
        LinkedHashMap<RequestId, L> more = new LinkedHashMap<>(requests);
        more.put(id, label);
        return new RequestIds<>(java.util.Collections.unmodifiableMap(more));
    }

    /** OTP's {@code reqids_size}. */
    public int size() {
        return requests.size();
    }

    /** The requests and their labels, in the order they were added. */
    public Map<RequestId, L> toMap() {
        return requests;
    }

    RequestIds<L> without(RequestId id) {
        LinkedHashMap<RequestId, L> fewer = new LinkedHashMap<>(requests);
        fewer.remove(id);
        return new RequestIds<>(java.util.Collections.unmodifiableMap(fewer));
    }

    /** What waiting on a collection found: a response, or that the collection is empty. */
    public sealed interface Outcome<L> {}

    /** A response, its request's label, and the collection without it (or unchanged, if not deleted). */
    public record Got<L>(Response response, L label, RequestIds<L> rest) implements Outcome<L> {}

    /** The collection is empty: OTP's {@code no_request}. */
    public record NoRequest<L>() implements Outcome<L> {}
}
