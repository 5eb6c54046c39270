### Madini message catalog: cli, sw.

## Lugha (--lang, profile set --set-lang).
cli-error-lang-unknown = hitilafu: --lang "{ $lang }" si lugha ambayo madini inaitumia; tumia mojawapo ya { $langs }
cli-set-lang-unknown = --set-lang "{ $lang }": tumia mojawapo ya { $langs }

## seal.rs (madini incident open).
cli-seal-no-report = kesi { $case }: historia yake haina ripoti ya tukio; kagua namba ya kesi
cli-seal-not-sealed = kesi { $case }: maandishi yake hayajafungwa; `madini incident show` inayaonyesha
cli-seal-not-yours = kesi { $case }: maandishi yake hayajafungwa kwa ufunguo wako { $key }; mmoja wa wanaoshughulikia kesi anaowataja ndiye afungue
cli-seal-does-not-open = kesi { $case }: maandishi yaliyofungwa hayafunguki ({ $reason }); ripoti hili kwa daftari
