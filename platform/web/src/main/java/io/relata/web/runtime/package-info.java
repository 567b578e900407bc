/** Starts the platform ({@link io.relata.runtime.Platform}) when the web application is deployed, and stops it with it. */
package io.relata.web.runtime;
