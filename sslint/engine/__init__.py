"""The dataflow engine: a path-sensitive worklist over one function's CFG that
follows every tracked handle's ownership, references and nullness, driven by the
API model, and emits events (sslint.core.events). Knows C and dataflow, not OpenSSL."""
