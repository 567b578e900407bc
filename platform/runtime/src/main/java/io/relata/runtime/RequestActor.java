package io.relata.runtime;

import io.relata.api.security.Actor;

/**
 * The logged-in user of the request being served. The web layer provides it as a request-scoped bean; the runtime
 * only asks it, so that it never learns what a request is.
 */
public interface RequestActor {

    /** The user of this request, in the language they read; throws when nobody is logged in. */
    Actor actor();
}
