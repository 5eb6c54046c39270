### Madini message catalog: pages, en.
