### Madini message catalog: report, sw.
