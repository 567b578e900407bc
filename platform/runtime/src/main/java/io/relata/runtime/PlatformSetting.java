package io.relata.runtime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A named value the platform keeps about itself (e.g. when demo data was seeded). */
@Entity
@Table(name = "crm_setting")
public class PlatformSetting {

    public static final String DEMO_DATA_SEEDED = "demo.data.seeded";

    @Id
    private String name;

    @Column(name = "text_value")
    private String value;

    @Column(name = "updated_at", nullable = false)
    private OffsetDateTime updatedAt;

    protected PlatformSetting() {
    }

    public PlatformSetting(String name, String value) {
        this.name = name;
        this.value = value;
        this.updatedAt = OffsetDateTime.now();
    }

    public String getName() { return name; }
    public String getValue() { return value; }
    public OffsetDateTime getUpdatedAt() { return updatedAt; }
}
