/**
 * Who is calling: users, teams and API tokens, password hashing and the password policy, login throttling
 * and administrators' locks, the login log, the client address behind trusted proxies, the authentication
 * mechanism for pages (form login) and the API (token or Basic), and the security headers.
 * What a caller may do is decided by the record store's access policy from the roles in metadata; this
 * package only establishes the {@link io.relata.api.security.Actor}.
 */
package io.relata.web.security;
