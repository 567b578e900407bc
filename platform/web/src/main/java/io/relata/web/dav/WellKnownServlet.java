package io.relata.web.dav;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * RFC 6764: calendar and address book apps given only the server's address look for {@code /.well-known/caldav} and
 * {@code /.well-known/carddav}; both lead to the DAV root, which names the user's principal.
 */
@WebServlet(urlPatterns = {"/.well-known/caldav", "/.well-known/carddav"})
public class WellKnownServlet extends HttpServlet {

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(HttpServletResponse.SC_MOVED_PERMANENTLY);
        response.setHeader("Location", request.getContextPath() + "/api/dav/");
    }
}
