### Madini message catalog: core, en.
