/**
 * Dashboards at runtime: which dashboards a user sees, and the figures of their widgets, computed in the database
 * through the viewer's own record store (their rows, their fields) or from the process stamps they may read. Every
 * figure of records carries the filters that select the records behind it, so that a click opens exactly those.
 */
package io.relata.runtime.dashboard;
