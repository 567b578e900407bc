package io.relata.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClientAddressTest {

    private final ClientAddress behindLocalProxy = new ClientAddress(io.relata.runtime.CrmConfig.LOOPBACK);

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

    /** Pages kept between requests (view scope) hold one, so it must survive their serialization. */
    @Test
    void itTravelsWithASerializedPage() throws Exception {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(behindLocalProxy);
        }
        ClientAddress copy;
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ClientAddress) in.readObject();
        }
        assertThat(copy.of("127.0.0.1", "203.0.113.1")).isEqualTo("203.0.113.1");
    }
}
