### Madini message catalog: tags, fr.

## Étiquettes des sacs (tag-printer/src/label.rs) : noms des champs et minerais.
## Une étiquette montre chaque nom dans la langue choisie puis, après « / », en
## français (en anglais sur une étiquette française) ; restez court, une
## étiquette fait 37 mm de haut.
tag-field-tag = Étiquette
tag-field-lot = Lot
tag-field-mineral = Minerai
tag-field-mass = Masse
tag-field-grade = Teneur
tag-field-site = Site
tag-field-site-code = Code site
tag-field-cooperative = Coopérative
tag-field-date = Date
tag-mineral-cassiterite = cassitérite
tag-mineral-coltan = coltan
tag-mineral-wolframite = wolframite
tag-mineral-gold = or
