### Madini message catalog: app, en.
