package io.relata.web.dav;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * Every DAV answer says which DAV classes the server speaks (apps check it, mostly on OPTIONS, before they go on);
 * OPTIONS lists all methods of the DAV tree, not only those of the one address asked.
 */
@Provider
public class DavHeaders implements ContainerResponseFilter {

    static final String CLASSES = "1, 3, calendar-access, addressbook";

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("dav") && !path.startsWith("dav/") && !path.startsWith("/dav")) {
            return;
        }
        response.getHeaders().putSingle("DAV", CLASSES);
        if ("OPTIONS".equals(request.getMethod())) {
            response.getHeaders().putSingle("Allow", DavResource.ALLOW);
        }
    }
}
