### Madini message catalog: report, fr.

## Le choix de langue du formulaire de signalement.
report-language = Langue
