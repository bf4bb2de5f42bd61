"""Rule modules, one per misuse pattern; discovered by sslint.core.rule.all_rules()."""
