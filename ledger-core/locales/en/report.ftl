### Madini message catalog: report, en.

## The language switch of the report form.
report-language = Language
