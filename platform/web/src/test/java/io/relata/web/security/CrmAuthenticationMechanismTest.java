package io.relata.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CrmAuthenticationMechanismTest {

    /** A request as the container hands it over: method, path under the context /crm, headers. */
    private static HttpServletRequest request(String method, String path, String... headers) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            values.put(headers[i], headers[i + 1]);
        }
        return (HttpServletRequest) Proxy.newProxyInstance(HttpServletRequest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method1, args) -> switch (method1.getName()) {
                    case "getMethod" -> method;
                    case "getContextPath" -> "/crm";
                    case "getRequestURI" -> "/crm" + path;
                    case "getHeader" -> values.get((String) args[0]);
                    default -> throw new UnsupportedOperationException(method1.getName());
                });
    }

    @Test
    void openingAPageIsRememberedForAfterTheLogin() {
        assertThat(CrmAuthenticationMechanism.isPageNavigation(request("GET", "/record.xhtml"))).isTrue();
        assertThat(CrmAuthenticationMechanism.isPageNavigation(request("GET", "/"))).isTrue();
        assertThat(CrmAuthenticationMechanism.isPageNavigation(request("GET", "/list.xhtml",
                "Sec-Fetch-Dest", "document", "Sec-Fetch-Mode", "navigate"))).isTrue();
    }

    @Test
    void theSiteIconAndOtherResourcesAreNeverRemembered() {
        assertThat(CrmAuthenticationMechanism.isPageNavigation(request("GET", "/favicon.ico"))).isFalse();
        assertThat(CrmAuthenticationMechanism.isPageNavigation(request("GET", "/favicon.ico",
                "Sec-Fetch-Dest", "image", "Sec-Fetch-Mode", "no-cors"))).isFalse();
        assertThat(CrmAuthenticationMechanism.isPageNavigation(request("GET", "/jakarta.faces.resource/x.xhtml"))).isFalse();
        assertThat(CrmAuthenticationMechanism.isPageNavigation(request("GET", "/robots.txt"))).isFalse();
        assertThat(CrmAuthenticationMechanism.isPageNavigation(request("GET", "/api/v1/records/account"))).isFalse();
    }

    @Test
    void backgroundRequestsForPagesAreNotNavigations() {
        assertThat(CrmAuthenticationMechanism.isPageNavigation(request("POST", "/record.xhtml"))).isFalse();
        assertThat(CrmAuthenticationMechanism.isPageNavigation(request("GET", "/record.xhtml", "Faces-Request", "partial/ajax")))
                .isFalse();
        assertThat(CrmAuthenticationMechanism.isPageNavigation(request("GET", "/record.xhtml",
                "Sec-Fetch-Dest", "empty", "Sec-Fetch-Mode", "cors"))).as("fetch()").isFalse();
        assertThat(CrmAuthenticationMechanism.isPageNavigation(request("GET", "/record.xhtml",
                "Sec-Fetch-Dest", "iframe", "Sec-Fetch-Mode", "navigate"))).isFalse();
    }
}
