### Madini message catalog: report, fr.
