### Madini message catalog: cli, en.

## Languages (--lang, profile set --set-lang).
cli-error-lang-unknown = error: --lang "{ $lang }" is not a language madini speaks; use one of { $langs }
cli-set-lang-unknown = --set-lang "{ $lang }": use one of { $langs }

## seal.rs (madini incident open).
cli-seal-no-report = case { $case }: the node's history of it holds no incident report; check the case id
cli-seal-not-sealed = case { $case }: its text is not sealed; `madini incident show` prints it
cli-seal-not-yours = case { $case }: its text is not sealed to your key { $key }; a case handler it names must open it
cli-seal-does-not-open = case { $case }: the sealed text does not open ({ $reason }); report it to the registry
