package dev.midstream.cli;

/** The exit codes of every {@code midstream} command. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int PROBLEMS = 1;
    public static final int STATE_LOST = 2;
    public static final int USAGE = 64;

    static final String HEADING = "%nExit codes:%n";
    static final String OK_LINE = "0:fine";
    static final String PROBLEMS_LINE = "1:problems found (in a file, the configuration or the savepoint)";
    static final String STATE_LOST_LINE = "2:state would be lost";
    static final String USAGE_LINE = "64:wrong usage";

    private ExitCodes() {}
}
