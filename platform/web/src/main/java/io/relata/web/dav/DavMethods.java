package io.relata.web.dav;

import jakarta.ws.rs.HttpMethod;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The WebDAV methods JAX-RS does not name itself. */
public final class DavMethods {

    private DavMethods() {
    }

    /** RFC 4918 §9.1: read properties of a resource and, with Depth: 1, of its members. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @HttpMethod("PROPFIND")
    public @interface PROPFIND {
    }

    /** RFC 4918 §9.2: set or remove properties. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @HttpMethod("PROPPATCH")
    public @interface PROPPATCH {
    }

    /** RFC 3253 §3.6, used by CalDAV (RFC 4791 §7) and CardDAV (RFC 6352 §8): queries and multi-gets. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @HttpMethod("REPORT")
    public @interface REPORT {
    }
}
