### Madini message catalog: tags, en.
