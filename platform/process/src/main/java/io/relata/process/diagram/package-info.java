/**
 * Draws processes from their metadata: {@link io.relata.process.diagram.ProcessDiagram} renders a standalone
 * SVG (phases left to right, closing phases at the right, transitions with their guards and automatic
 * conditions, timers and actions), {@link io.relata.process.diagram.BpmnExport} writes BPMN 2.0 XML with
 * diagram coordinates from the same layout, for Camunda Modeler or bpmn.io.
 *
 * <p>Pure functions of the model: no database, no rule evaluation, no external layout library; the same
 * model and locale always give the same bytes (diagrams can be cached and compared).
 */
package io.relata.process.diagram;
