### Madini message catalog: cli, fr.

## Langues (--lang, profile set --set-lang).
cli-error-lang-unknown = erreur : --lang « { $lang } » n'est pas une langue de madini ; utilisez l'une de { $langs }
cli-set-lang-unknown = --set-lang « { $lang } » : utilisez l'une de { $langs }

## seal.rs (madini incident open).
cli-seal-no-report = dossier { $case } : son historique ne contient aucun signalement ; vérifiez l'identifiant du dossier
cli-seal-not-sealed = dossier { $case } : son texte n'est pas scellé ; `madini incident show` l'affiche
cli-seal-not-yours = dossier { $case } : son texte n'est pas scellé pour votre clé { $key } ; un des responsables qu'il nomme doit l'ouvrir
cli-seal-does-not-open = dossier { $case } : le texte scellé ne s'ouvre pas ({ $reason }) ; signalez-le au registre
