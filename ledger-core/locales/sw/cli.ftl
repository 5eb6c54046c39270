### Madini message catalog: cli, sw.
