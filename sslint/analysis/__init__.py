"""One translation unit: parse (front end), plan and lower its functions, find
registered callbacks, run the engine on each function callee-first, and hand the
events to the rules."""
