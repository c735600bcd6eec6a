"""Stage 1, reports and facts in: data files read, checked and resolved into the model.

`loader.load_dataset` runs the stages in order: `places`, `reports` (and the
people they name), the fact files' `entities`, then `facts`. `yaml_records`
reads YAML with line numbers, `record_schema` says what each record may hold
and `ids` keeps ids unique. `model` is what comes out, and what `synthetic`
generates without any files.
"""
