package io.relata.web.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The address a request comes from, as login throttling and the login log see it. The CRM listens on the
 * loopback interface only, so users reach it through a reverse proxy: the address of a trusted proxy is
 * replaced by the last address before it in {@code X-Forwarded-For} (the one the proxy saw). Clients cannot
 * choose their address this way, because only the entries added by trusted proxies are believed.
 */
public final class ClientAddress implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private static final Pattern IP_LITERAL = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final Set<String> trustedProxies;

    public ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = Set.copyOf(trustedProxies);
    }

    public String of(HttpServletRequest request) {
        return of(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"));
    }

    String of(String remote, String forwardedFor) {
        if (!trustedProxies.contains(remote) || forwardedFor == null || forwardedFor.isBlank()) {
            return remote;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (!IP_LITERAL.matcher(hop).matches()) {
                return remote; // not written by a proxy we know: count it as the proxy's own
            }
            if (!trustedProxies.contains(hop) || i == 0) {
                return hop;
            }
        }
        return remote;
    }
}
