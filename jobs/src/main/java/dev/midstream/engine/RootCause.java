package dev.midstream.engine;

/** The innermost cause of a failure: what the submission checks quote, as drivers wrap the telling message. */
final class RootCause {
    private RootCause() {}

    static Throwable of(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
