"""Plain data passed between the stages: the IR the front end builds and the
engine reads, the events the engine emits and rules read, the rule interface, and
the findings and notifications that reach the output."""
