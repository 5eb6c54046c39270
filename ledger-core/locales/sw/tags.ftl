### Madini message catalog: tags, sw.
