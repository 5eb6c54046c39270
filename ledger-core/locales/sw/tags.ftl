### Madini message catalog: tags, sw.

## Lebo za magunia (tag-printer/src/label.rs): majina ya sehemu na madini.
## Lebo inaonyesha kila jina kwa lugha iliyochaguliwa na, baada ya " / ", kwa
## Kifaransa; tumia maneno mafupi, lebo ina urefu wa mm 37 tu.
tag-field-tag = Lebo
tag-field-lot = Mzigo
tag-field-mineral = Madini
tag-field-mass = Uzito
tag-field-grade = Kiwango
tag-field-site = Mgodi
tag-field-site-code = Msimbo wa mgodi
tag-field-cooperative = Ushirika
tag-field-date = Tarehe
tag-mineral-cassiterite = kasiteriti
tag-mineral-coltan = koltani
tag-mineral-wolframite = wolframiti
tag-mineral-gold = dhahabu
