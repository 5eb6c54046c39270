### Madini message catalog: cli, en.

## Languages (--lang, profile set --set-lang).
cli-error-lang-unknown = error: --lang "{ $lang }" is not a language madini speaks; use one of { $langs }
cli-set-lang-unknown = --set-lang "{ $lang }": use one of { $langs }
