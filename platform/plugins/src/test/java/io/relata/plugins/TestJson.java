package io.relata.plugins;

import io.relata.process.ProcessJson;

/** The platform's JSON, as the wiring hands it to the plugin engine. */
final class TestJson implements PlainJson {

    static final TestJson INSTANCE = new TestJson();

    @Override
    public String write(Object value) {
        return ProcessJson.toJson(value).toString();
    }

    @Override
    public Object read(String json) {
        return ProcessJson.readValue(json);
    }
}
