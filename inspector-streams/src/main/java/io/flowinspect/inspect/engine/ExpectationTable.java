package io.flowinspect.inspect.engine;

/** Where announced-but-not-yet-seen connections wait. */
public interface ExpectationTable {
  Expectation get(Expectation.Key key);

  void put(Expectation expectation);

  void remove(Expectation.Key key);
}
