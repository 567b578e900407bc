package io.relata.admin;

import io.relata.runtime.Platform;
import io.relata.runtime.RequestActor;

/** Administration pages exist only for administrators: everyone else gets the not-found page. */
final class AdminGuard {

    private AdminGuard() {
    }

    static void require(Platform platform, RequestActor me) {
        if (!platform.access(me.actor()).unrestricted()) {
            throw new AdministratorsOnlyException();
        }
    }
}
