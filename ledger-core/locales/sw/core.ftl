### Madini message catalog: core, sw.

# Maneno ya pamoja (ledger_core::text): hali ya mzigo, aina za madini.
# "Mzigo" (wingi: "mizigo") ndio neno la "lot" kote katika katalogi hizi.

core-lot-status-open = uko wazi
core-lot-status-split = umegawanywa katika mizigo midogo
core-lot-status-merged = umeunganishwa na mzigo mwingine
core-lot-status-processed = umechakatwa kuwa mzigo mwingine
core-lot-status-exported = umesafirishwa nje ya nchi

core-mineral-cassiterite = kasiteriti (bati)
core-mineral-coltan = koltani (tantalamu)
core-mineral-wolframite = wolframiti (tungsteni)
core-mineral-gold = dhahabu
