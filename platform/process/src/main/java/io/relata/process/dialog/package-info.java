/**
 * Runs guided dialogs ({@link io.relata.api.process.DialogDefinition}) for users: {@link
 * io.relata.process.dialog.DialogRunner} keeps each user's progress in {@code crm_dialog_session} (resumable,
 * optimistically locked), converts and validates every step's answers, picks the next step by the branches'
 * conditions and, on finish, writes the answers and creates records in one transaction.
 *
 * <p>It reads and writes records only through the {@link io.relata.api.record.RecordStore} it is given,
 * which is bound to the user ({@code SecuredRecordStore}): it never widens what the user may see or change,
 * and phase moves go through the store's write hook like any other change. The web UI (wizard) and the
 * REST API sit on top of it; this package knows neither.
 */
package io.relata.process.dialog;
