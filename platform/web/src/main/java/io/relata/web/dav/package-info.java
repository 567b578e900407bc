/**
 * CalDAV and CardDAV for calendar and address book apps: the WebDAV protocol around the runtime's calendar
 * collection and contact cards, and the well-known addresses apps find it by.
 */
package io.relata.web.dav;
