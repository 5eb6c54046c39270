### Madini message catalog: cli, sw.

## Lugha (--lang, profile set --set-lang).
cli-error-lang-unknown = hitilafu: --lang "{ $lang }" si lugha ambayo madini inaitumia; tumia mojawapo ya { $langs }
cli-set-lang-unknown = --set-lang "{ $lang }": tumia mojawapo ya { $langs }
