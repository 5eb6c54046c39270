### Madini message catalog: pages, fr.
