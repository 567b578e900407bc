/**
 * Marketing: consents per person and purpose with double opt-in and unsubscribe links ({@link
 * io.relata.runtime.marketing.Consents}).
 */
package io.relata.runtime.marketing;
