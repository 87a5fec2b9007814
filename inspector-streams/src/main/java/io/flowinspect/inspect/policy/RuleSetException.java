package io.flowinspect.inspect.policy;

/** A rule file that cannot be used, with the file and line at fault in the message. */
public final class RuleSetException extends IllegalArgumentException {
  private final int line;

  public RuleSetException(String source, int line, String problem) {
    super(source + (line > 0 ? ":" + line : "") + ": " + problem);
    this.line = line;
  }

  /** 1-based line of the problem, 0 when unknown. */
  public int line() {
    return line;
  }
}
