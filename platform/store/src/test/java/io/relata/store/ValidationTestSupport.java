package io.relata.store;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.relata.api.record.ValidationException;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Helpers for asserting the errors of a {@link ValidationException}. */
final class ValidationTestSupport {

    private ValidationTestSupport() {
    }

    /** The {@code field:code} of each error the call fails with; fails if it throws anything else. */
    static List<String> codes(ThrowingCallable call) {
        List<String> codes = new ArrayList<>();
        assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
                e -> e.errors().forEach(error -> codes.add(error.field() + ":" + error.code())));
        return codes;
    }
}
