### Madini message catalog: pages, sw.
