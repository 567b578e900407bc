/**
 * The administration pages' views (metadata and its layers, plugins, users and teams), their texts in German and
 * English, and the guard that keeps everyone but administrators out. The pages are in
 * {@code META-INF/resources/admin/} of this jar and use the web module's layout.
 */
package io.relata.admin;
