package io.flowinspect.cli;

import picocli.CommandLine;

/**
 * Turns an expected failure (bad configuration, unreadable capture) into one clear line and exit
 * status 2, instead of a stack trace; anything else is a bug and keeps its stack trace.
 */
final class FailureReporter implements CommandLine.IExecutionExceptionHandler {
  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    if (e instanceof UserError || e instanceof IllegalArgumentException
        || e instanceof io.flowinspect.capture.source.CaptureException) {
      cmd.getErr().println("flowinspect " + cmd.getCommandName() + ": " + e.getMessage());
      return 2;
    }
    throw new RuntimeException(e);
  }
}
