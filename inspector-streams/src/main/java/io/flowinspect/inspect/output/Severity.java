package io.flowinspect.inspect.output;

public enum Severity {
  LOW,
  MEDIUM,
  HIGH
}
