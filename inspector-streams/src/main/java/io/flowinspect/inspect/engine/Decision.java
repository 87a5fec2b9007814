package io.flowinspect.inspect.engine;

/** What the rule set decided about a connection. */
public enum Decision {
  ALLOW,
  DENY
}
