### Madini message catalog: app, sw.

## Kubadili lugha, kwenye kila skrini.
app-language = Lugha
app-language-current = Lugha: { $language }
