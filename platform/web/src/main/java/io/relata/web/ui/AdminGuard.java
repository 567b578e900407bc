package io.relata.web.ui;

import io.relata.runtime.Platform;
import io.relata.web.security.CurrentActor;

/** Administration pages exist only for administrators: everyone else gets the not-found page. */
final class AdminGuard {

    private AdminGuard() {
    }

    static void require(Platform platform, CurrentActor me) {
        if (!platform.access(me.actor()).unrestricted()) {
            throw new Pages.PageNotFoundException("Administration is for administrators");
        }
    }
}
