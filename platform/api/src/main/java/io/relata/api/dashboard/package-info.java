/**
 * Dashboards as admins and partners define them in {@code metadata/dashboards/<name>.yaml}: a grid of widgets, each a
 * figure over the records of an entity (a measure, grouped by up to two keys, filtered) or of a process (conversion,
 * cycle time, …), shown as a tile, a chart or a table. Immutable values; how figures are computed lives in the
 * runtime, always within what the viewer may read.
 */
package io.relata.api.dashboard;
