### Madini message catalog: app, en.

## The language switch on every screen.
app-language = Language
app-language-current = Language: { $language }
