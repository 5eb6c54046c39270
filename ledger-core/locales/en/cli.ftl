### Madini message catalog: cli, en.
