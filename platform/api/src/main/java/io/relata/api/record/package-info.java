/**
 * The record store contract: reading and writing records of metadata-defined entities. Values are the
 * Java types named by {@link io.relata.api.model.FieldType#javaType()}. Implementations validate every
 * write against the metadata and never write part of a record.
 */
package io.relata.api.record;
