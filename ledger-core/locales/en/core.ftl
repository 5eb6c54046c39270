### Madini message catalog: core, en.

# Words shared by every edge (ledger_core::text): a lot's status, minerals.

core-lot-status-open = open
core-lot-status-split = split into smaller lots
core-lot-status-merged = merged into another lot
core-lot-status-processed = processed into another lot
core-lot-status-exported = exported

core-mineral-cassiterite = cassiterite (tin)
core-mineral-coltan = coltan (tantalum)
core-mineral-wolframite = wolframite (tungsten)
core-mineral-gold = gold
