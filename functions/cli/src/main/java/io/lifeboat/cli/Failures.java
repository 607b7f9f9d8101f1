package io.lifeboat.cli;

/**
 * What a command's failure looks like to the user: "Error: " and the message on standard error, with the exit code
 * of the failure. An API error names the field the API named and, when a flag sets that field, the flag.
 */
final class Failures {
    private Failures() {
    }

    static int report(Exception e, CliIo io) {
        int code;
        if (e instanceof ApiError api) {
            io.err().println("Error: " + describe(api));
            code = api.exitCode();
        } else if (e instanceof CliException cli) {
            io.err().println("Error: " + cli.getMessage());
            code = cli.exitCode();
        } else {
            io.err().println("Error: unexpected " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            code = ExitCodes.ERROR;
        }
        io.err().flush();
        return code;
    }

    /** "namespaces[1]: 'Not_Valid' is not a DNS-1123 label (--namespaces)"; the field first when the message lacks it. */
    static String describe(ApiError e) {
        String message = e.getMessage();
        String field = e.field();
        if (field == null) {
            return message;
        }
        String text = message.startsWith(field) ? message : field + ": " + message;
        String flag = FieldFlags.flagOf(field);
        return flag == null ? text : text + " (" + flag + ")";
    }
}
