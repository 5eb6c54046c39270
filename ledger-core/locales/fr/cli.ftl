### Madini message catalog: cli, fr.

## Langues (--lang, profile set --set-lang).
cli-error-lang-unknown = erreur : --lang « { $lang } » n'est pas une langue de madini ; utilisez l'une de { $langs }
cli-set-lang-unknown = --set-lang « { $lang } » : utilisez l'une de { $langs }
