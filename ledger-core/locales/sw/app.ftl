### Madini message catalog: app, sw.
