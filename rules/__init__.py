"""Rule modules, one per misuse pattern; discovered by sslint.rule.all_rules()."""
