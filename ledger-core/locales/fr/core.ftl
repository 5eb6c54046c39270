### Madini message catalog: core, fr.

# Mots communs à toutes les interfaces (ledger_core::text) : état d'un lot, minerais.

core-lot-status-open = ouvert
core-lot-status-split = divisé en lots plus petits
core-lot-status-merged = fusionné dans un autre lot
core-lot-status-processed = traité en un autre lot
core-lot-status-exported = exporté

core-mineral-cassiterite = cassitérite (étain)
core-mineral-coltan = coltan (tantale)
core-mineral-wolframite = wolframite (tungstène)
core-mineral-gold = or
