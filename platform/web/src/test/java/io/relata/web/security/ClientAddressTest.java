package io.relata.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private final ClientAddress behindLocalProxy = new ClientAddress(ClientAddress.LOOPBACK);

    @Test
    void aTrustedProxyIsReplacedByTheAddressItSaw() {
        assertThat(behindLocalProxy.of("127.0.0.1", "198.51.100.7")).isEqualTo("198.51.100.7");
        assertThat(behindLocalProxy.of("::1", "2001:db8::5")).isEqualTo("2001:db8::5");
    }

    @Test
    void entriesTheClientWroteItselfAreNotBelieved() {
        // the client sent "X-Forwarded-For: 203.0.113.1"; the proxy appended the address it really saw
        assertThat(behindLocalProxy.of("127.0.0.1", "203.0.113.1, 198.51.100.7")).isEqualTo("198.51.100.7");
    }

    @Test
    void chainsOfTrustedProxiesAreWalkedFromTheRight() {
        ClientAddress twoProxies = new ClientAddress(java.util.List.of("127.0.0.1", "10.0.0.2"));
        assertThat(twoProxies.of("127.0.0.1", "198.51.100.7, 10.0.0.2")).isEqualTo("198.51.100.7");
    }

    @Test
    void otherPeersAndGarbageKeepTheConnectionsAddress() {
        assertThat(behindLocalProxy.of("198.51.100.9", "203.0.113.1")).as("not a trusted proxy").isEqualTo("198.51.100.9");
        assertThat(behindLocalProxy.of("127.0.0.1", "<script>")).isEqualTo("127.0.0.1");
        assertThat(behindLocalProxy.of("127.0.0.1", null)).isEqualTo("127.0.0.1");
        assertThat(new ClientAddress(java.util.List.of()).of("127.0.0.1", "198.51.100.7")).isEqualTo("127.0.0.1");
    }
}
