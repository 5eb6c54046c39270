### Madini message catalog: report, sw.

## Kubadili lugha kwenye fomu ya kuripoti.
report-language = Lugha
