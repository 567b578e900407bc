package io.relata.plugins;

/**
 * JSON text from and to plain values (text, BigDecimal, Boolean, List, Map, null), as the platform writes it
 * everywhere else; given by the wiring so that this module carries no JSON library of its own.
 */
public interface PlainJson {

    String write(Object value);

    /** @throws IllegalArgumentException when the text is not JSON */
    Object read(String json);
}
