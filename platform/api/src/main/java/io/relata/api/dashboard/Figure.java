package io.relata.api.dashboard;

/** What a widget computes: figures of records ({@link RecordFigure}) or of a process ({@link ProcessFigure}). */
public sealed interface Figure permits RecordFigure, ProcessFigure {
}
