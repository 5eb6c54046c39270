### Madini message catalog: app, fr.
