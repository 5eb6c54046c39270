### Madini message catalog: cli, fr.
