### Madini message catalog: core, fr.
