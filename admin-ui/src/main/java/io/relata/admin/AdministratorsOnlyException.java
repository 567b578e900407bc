package io.relata.admin;

/** A page of the administration opened by someone who is not an administrator: the web layer answers "not found". */
public class AdministratorsOnlyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public AdministratorsOnlyException() {
        super("Administration is for administrators");
    }
}
