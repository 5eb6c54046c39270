### Madini message catalog: app, fr.

## Le choix de langue, sur chaque écran.
app-language = Langue
app-language-current = Langue : { $language }
