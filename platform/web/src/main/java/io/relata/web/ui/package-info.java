/**
 * The generated PrimeFaces UI: navigation, list views and record forms built from the metadata model at
 * request time. Beans here format and collect input; validation and storage stay in the record store.
 */
package io.relata.web.ui;
