package io.relata.process.dialog;

import java.util.Arrays;
import java.util.Locale;

/** Where a dialog session stands; only an open session can be continued. */
public enum DialogState {
    OPEN,
    FINISHED,
    ABANDONED;

    /** How the state is stored in {@code crm_dialog_session.state}. */
    public String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DialogState fromStored(String stored) {
        return Arrays.stream(values()).filter(s -> s.stored().equals(stored)).findFirst()
                .orElseThrow(() -> new IllegalStateException("Unknown dialog session state '" + stored + "'"));
    }
}
