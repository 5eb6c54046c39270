### Madini message catalog: core, sw.
