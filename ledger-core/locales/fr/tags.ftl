### Madini message catalog: tags, fr.
