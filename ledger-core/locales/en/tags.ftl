### Madini message catalog: tags, en.

## Bag labels (tag-printer/src/label.rs): field names and minerals. A label
## shows each name in the chosen language and, after " / ", in French (in
## English on a French label); keep them short, labels are 37 mm high.
tag-field-tag = Tag
tag-field-lot = Lot
tag-field-mineral = Mineral
tag-field-mass = Mass
tag-field-grade = Grade
tag-field-site = Site
tag-field-site-code = Site code
tag-field-cooperative = Cooperative
tag-field-date = Date
tag-mineral-cassiterite = cassiterite
tag-mineral-coltan = coltan
tag-mineral-wolframite = wolframite
tag-mineral-gold = gold
