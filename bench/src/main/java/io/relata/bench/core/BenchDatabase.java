package io.relata.bench.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A benchmark's own PostgreSQL database: {@code -Dbench.pg=host:port} (127.0.0.1:5432), {@code -Dbench.pg.user}
 * (postgres, trust authentication) and {@code -Dbench.db} (the benchmark's default name).
 */
final class BenchDatabase {

    private final String server = System.getProperty("bench.pg", "127.0.0.1:5432");
    private final String user = System.getProperty("bench.pg.user", "postgres");
    private final String name;

    BenchDatabase(String defaultName) {
        this.name = System.getProperty("bench.db", defaultName);
    }

    String name() {
        return name;
    }

    String url() {
        return url(name);
    }

    private String url(String database) {
        return "jdbc:postgresql://" + server + "/" + database;
    }

    String user() {
        return user;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user, "");
    }

    /** Drops the database (closing its connections) and creates it empty. */
    void recreate() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url("postgres"), user, "");
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
    }

    /** The first column of the first row of {@code sql}, run in the maintenance database. */
    String scalar(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url("postgres"), user, "");
             Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    /** The CRM's settings for this database (CRM_DB_URL, CRM_DB_USER). */
    Map<String, String> crmEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("CRM_DB_URL", url());
        environment.put("CRM_DB_USER", user);
        return environment;
    }
}
