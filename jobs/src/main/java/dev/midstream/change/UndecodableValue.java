package dev.midstream.change;

/** A value a change envelope holds that cannot be read as its declared type; the message says why and what helps. */
final class UndecodableValue extends Exception {
    private static final long serialVersionUID = 1L;

    UndecodableValue(String reason) {
        super(reason, null, false, false);
    }
}
