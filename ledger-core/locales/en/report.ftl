### Madini message catalog: report, en.
