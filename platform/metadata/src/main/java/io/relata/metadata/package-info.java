/**
 * Reads the admin-written YAML metadata — one file per entity under {@code entities/}, per role under
 * {@code roles/}, per mail template under {@code templates/}, per process under {@code processes/} and per
 * guided dialog under {@code dialogs/}, with the JavaScript rule scripts they refer to next to them — checks it
 * against the JSON Schemas in {@code metadata/schema/} and resolves it into an immutable
 * {@link io.relata.api.model.MetadataModel}.
 *
 * <p>Rules (entity rules, process guards and conditions, dialog validations and branches) and examples are
 * checked here only for structure (files exist, names are unique, fields fit); this package never runs or
 * compiles JavaScript — that is the rules engine's job, after loading.
 *
 * <p>Loading runs in two passes: every file is parsed, schema-checked and checked on its own; then references
 * between files are resolved (reference targets, the entities and fields roles grant on, the fields, roles
 * and templates processes name, the entities, fields and phases of dialogs). All problems of all files and
 * both passes are collected and reported together in one {@link io.relata.metadata.MetadataException}, each
 * with file, line, column, a stable code and a fix ({@link io.relata.metadata.MetadataProblem}).
 *
 * <p>This package must not touch the database, the UI or any container service, keep state between
 * loads, or hand out partially valid models: either the whole metadata is valid and a model is returned,
 * or nothing is. Entry points: {@link io.relata.metadata.MetadataFiles} and
 * {@link io.relata.metadata.MetadataLoader}.
 */
package io.relata.metadata;
