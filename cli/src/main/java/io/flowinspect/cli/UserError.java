package io.flowinspect.cli;

/** A problem the user can fix (a missing file, a bad option), reported without a stack trace. */
final class UserError extends RuntimeException {
  UserError(String message) {
    super(message);
  }
}
