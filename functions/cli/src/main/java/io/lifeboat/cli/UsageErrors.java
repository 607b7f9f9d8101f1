package io.lifeboat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.util.ArrayList;
import java.util.List;

/**
 * A wrong command line: one line saying what is wrong, a pointer to the command's help, and exit code 64. An unknown
 * option is named without its value, and a stray argument after one is not shown at all, so that a secret typed as
 * {@code --secret-access-key VALUE} (no such option exists) is never echoed back; such an option gets a hint to its
 * {@code -file} form.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
    private final CliIo io;

    UsageErrors(CliIo io) {
        this.io = io;
    }

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine command = ex.getCommandLine();
        for (String line : describe(ex)) {
            io.err().println("Error: " + line);
        }
        io.err().println("See '" + command.getCommandSpec().qualifiedName() + " --help'.");
        io.err().flush();
        return ExitCodes.USAGE;
    }

    private static List<String> describe(ParameterException ex) {
        if (!(ex instanceof UnmatchedArgumentException unmatched)) {
            String message = String.valueOf(ex.getMessage());
            return List.of(message.startsWith("Error: ") ? message.substring("Error: ".length()) : message);
        }
        List<String> lines = new ArrayList<>();
        boolean afterUnknownOption = false;
        int hidden = 0;
        for (String arg : unmatched.getUnmatched()) {
            if (arg.startsWith("-") && arg.length() > 1) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                lines.add("unknown option '" + name + "'" + fileHint(ex.getCommandLine(), name));
                afterUnknownOption = true;
            } else if (afterUnknownOption) {
                hidden++;
            } else {
                lines.add("unexpected argument '" + arg + "'");
            }
        }
        if (hidden > 0) {
            lines.add(hidden + " argument" + (hidden == 1 ? "" : "s") + " after an unknown option (not shown, in case"
                    + " it is a secret)");
        }
        return lines;
    }

    /** For {@code --client-secret} where {@code --client-secret-file} exists: how to give the value. */
    private static String fileHint(CommandLine command, String name) {
        OptionSpec file = command.getCommandSpec().findOption(name + "-file");
        if (file == null) {
            return "";
        }
        return ": secrets are never taken as option values; put it in a file and give " + name + "-file FILE, or "
                + name + "-file - to read it from standard input";
    }
}
