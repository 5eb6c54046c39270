// Who may sign each event type (spec/events.md section 3, rule 7), for the
// screens the app offers; the node checks everything again. Written from
// ledger_core::authz by `MADINI_BLESS=1 cargo test -p node --test authz`:
// do not edit.

export const CUSTODY_ROLES = ["cooperative", "trader", "shipper", "processor", "warehouse", "importer", "exporter"];

export const SIGNERS = {
  "genesis": "log",
  "actor.register": ["authority"],
  "actor.update": ["authority"],
  "key.rotate": "any",
  "key.revoke": "any",
  "licence.grant": ["authority"],
  "site.register": ["authority"],
  "site.update": ["authority"],
  "site.inspect": ["inspector"],
  "site.status": ["inspector", "authority"],
  "tags.allocate": ["authority"],
  "cert.request": ["exporter"],
  "cert.issue": ["authority"],
  "lot.register": ["cooperative"],
  "lot.offer": "any",
  "lot.accept": "any",
  "lot.refuse": "any",
  "lot.split": "any",
  "lot.merge": "any",
  "lot.process": ["processor"],
  "lot.transport": "any",
  "lot.store": "any",
  "lot.tax": "any",
  "lot.export": ["exporter"],
  "lot.correct": "any",
  "incident.report": "anyone",
  "incident.status": ["authority", "inspector"],
};
